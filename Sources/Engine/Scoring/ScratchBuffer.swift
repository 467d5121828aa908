#if canImport(Glibc)
import Glibc
#endif

/// An uninitialised scratch array of `UInt32` for one scoring call, freed when the buffer goes away.
///
/// On Linux (Glibc), buffers of 2 MiB and more are mapped directly and advised as transparent huge pages
/// (`MADV_HUGEPAGE`): a fresh 3 MiB array otherwise costs ~770 page faults per call (about 2 ms at 1024×768 on the
/// benchmark machine), and the random writes of a partitioning pass then miss the TLB less. Elsewhere, or when the
/// mapping fails, the memory comes from the allocator.
final class ScratchBuffer {
    let pointer: UnsafeMutablePointer<UInt32>
    let count: Int
    private let mapping: (address: UnsafeMutableRawPointer, length: Int)?

    static let hugePage = 1 << 21

    init(count: Int) {
        self.count = count
        let bytes = max(count, 1) * MemoryLayout<UInt32>.stride
        #if canImport(Glibc)
        if bytes >= Self.hugePage {
            let page = Self.hugePage
            let length = ((bytes + page - 1) / page + 1) * page
            let raw = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let raw, raw != MAP_FAILED {
                let aligned = (Int(bitPattern: raw) + page - 1) & ~(page - 1)
                if let start = UnsafeMutableRawPointer(bitPattern: aligned) {
                    _ = madvise(start, length - (aligned - Int(bitPattern: raw)), MADV_HUGEPAGE)
                    pointer = start.bindMemory(to: UInt32.self, capacity: count)
                    mapping = (raw, length)
                    return
                }
                munmap(raw, length)
            }
        }
        #endif
        pointer = UnsafeMutablePointer<UInt32>.allocate(capacity: max(count, 1))
        mapping = nil
    }

    deinit {
        #if canImport(Glibc)
        if let mapping {
            munmap(mapping.address, mapping.length)
            return
        }
        #endif
        pointer.deallocate()
    }
}
