/// Stable in-cache sort of one `PartitionRanks` partition: keys ascending by their value bits (`key & 0x3FFF_FFFF`),
/// equal values in their original (row-major) order.
///
/// Within a partition the value bits minus the partition's base key are below `2²²`. Up to 32 keys: insertion sort.
/// Otherwise a stable LSD radix sort on that relative key, one pass when it fits in 11 bits, else two digits of at
/// most 11 bits (counted in one pass, a pass skipped when its digit is the same everywhere). The two digit histograms
/// are reused from call to call; only the part a sort uses is cleared.
struct PartitionSorter {
    private var low = [Int32](repeating: 0, count: 1 << 11)
    private var high = [Int32](repeating: 0, count: 1 << 11)

    /// Sorts `slice` in place; `scratch` holds at least `slice.count` keys.
    mutating func sort(_ slice: UnsafeMutableBufferPointer<UInt32>, base: UInt32, scratch: UnsafeMutablePointer<UInt32>) {
        let count = slice.count
        guard count > 1, let a = slice.baseAddress else { return }
        let valueMask = RadixRanks.valueMask
        if count <= 32 {
            for i in 1..<count {
                let x = a[i]
                let xv = x & valueMask
                var j = i
                while j > 0 && (a[j - 1] & valueMask) > xv {
                    a[j] = a[j - 1]
                    j -= 1
                }
                a[j] = x
            }
            return
        }
        var maxRelative: UInt32 = 0
        for i in 0..<count { maxRelative = max(maxRelative, (a[i] & valueMask) &- base) }
        let bits = UInt32(32 - maxRelative.leadingZeroBitCount)
        if bits == 0 { return }  // one value: already in row-major order
        let lowBits = bits <= 11 ? bits : (bits + 1) / 2
        let highBits = bits - lowBits
        let lowMask = (UInt32(1) << lowBits) - 1
        let lowSize = 1 << Int(lowBits), highSize = 1 << Int(highBits)
        low.withUnsafeMutableBufferPointer { lp in
            high.withUnsafeMutableBufferPointer { hp in
                for d in 0..<lowSize { lp[d] = 0 }
                for d in 0..<highSize { hp[d] = 0 }
                for i in 0..<count {
                    let r = (a[i] & valueMask) &- base
                    lp[Int(r & lowMask)] &+= 1
                    hp[Int(r &>> lowBits)] &+= 1
                }
                let lowSkip = Self.prefixSums(lp, size: lowSize, total: count)
                let highSkip = highBits == 0 || Self.prefixSums(hp, size: highSize, total: count)
                if !lowSkip {
                    for i in 0..<count {
                        let k = a[i]
                        let d = Int(((k & valueMask) &- base) & lowMask)
                        let at = lp[d]
                        scratch[Int(at)] = k
                        lp[d] = at &+ 1
                    }
                    if highSkip {
                        a.update(from: scratch, count: count)
                        return
                    }
                    for i in 0..<count {
                        let k = scratch[i]
                        let d = Int(((k & valueMask) &- base) &>> lowBits)
                        let at = hp[d]
                        a[Int(at)] = k
                        hp[d] = at &+ 1
                    }
                } else if !highSkip {
                    for i in 0..<count {
                        let k = a[i]
                        let d = Int(((k & valueMask) &- base) &>> lowBits)
                        let at = hp[d]
                        scratch[Int(at)] = k
                        hp[d] = at &+ 1
                    }
                    a.update(from: scratch, count: count)
                }
            }
        }
    }

    /// 2 × (pairs mask-above-non-mask) + ties inside one sorted slice; advances `positivesAbove`.
    static func pairs(_ slice: UnsafeBufferPointer<UInt32>, positivesAbove: inout UInt64) -> UInt64 {
        let valueMask = RadixRanks.valueMask
        var twice: UInt64 = 0
        var above = positivesAbove
        var p: UInt64 = 0, count: UInt64 = 0
        var previous = slice[0] & valueMask
        for k in slice {
            let value = k & valueMask
            if value != previous {
                let q = count &- p
                twice &+= 2 &* above &* q &+ p &* q
                above &+= p
                p = 0
                count = 0
                previous = value
            }
            p &+= UInt64(k >> 31)
            count &+= 1
        }
        let q = count &- p
        twice &+= 2 &* above &* q &+ p &* q
        above &+= p
        positivesAbove = above
        return twice
    }

    /// Exclusive prefix sums in place; `true` when one digit holds everything (the pass can be skipped).
    private static func prefixSums(_ h: UnsafeMutableBufferPointer<Int32>, size: Int, total: Int) -> Bool {
        var running: Int32 = 0
        var single = false
        for d in 0..<size {
            let c = h[d]
            if Int(c) == total { single = true }
            h[d] = running
            running &+= c
        }
        return single
    }
}
