/// A restricted pickle interpreter: just the opcodes and globals a PyTorch state dict uses.
///
/// It never imports or calls anything. Globals are resolved against a fixed whitelist to inert markers
/// (`collections.OrderedDict`, `torch._utils._rebuild_tensor_v2`, `torch.FloatStorage`, `torch.LongStorage`);
/// `REDUCE` on those markers builds plain values; any other global or opcode is refused with an error.
struct PickleMachine {
    /// Element type of a storage, named by its pickled storage class.
    enum StorageDType: String, Sendable {
        case float32 = "FloatStorage"
        case int64 = "LongStorage"

        var elementSize: Int {
            switch self {
            case .float32: 4
            case .int64: 8
            }
        }
    }

    /// A storage referenced through a persistent id.
    struct StorageReference {
        let key: String
        let dtype: StorageDType
        let elementCount: Int
    }

    /// A tensor rebuilt by `_rebuild_tensor_v2`: a strided view into a storage.
    struct TensorReference {
        let storage: StorageReference
        let offset: Int
        let shape: [Int]
        let strides: [Int]
    }

    /// The whitelisted globals.
    enum Global {
        case orderedDict
        case rebuildTensorV2
        case storageType(StorageDType)
    }

    final class DictBox {
        var items: [(key: Value, value: Value)] = []
    }

    final class ListBox {
        var items: [Value] = []
    }

    indirect enum Value {
        case none
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
        case bytes([UInt8])
        case tuple([Value])
        case list(ListBox)
        case dict(DictBox)
        case global(Global)
        case storage(StorageReference)
        case tensor(TensorReference)

        var kindName: String {
            switch self {
            case .none: "None"
            case .bool: "bool"
            case .int: "int"
            case .float: "float"
            case .string: "str"
            case .bytes: "bytes"
            case .tuple: "tuple"
            case .list: "list"
            case .dict: "dict"
            case .global: "global"
            case .storage: "storage"
            case .tensor: "tensor"
            }
        }
    }

    /// Deepest container nesting accepted (a state dict needs about 4); deeper input is refused rather than risking
    /// recursion on hostile bytes.
    static let maximumDepth = 64

    /// Nesting depth of `value`, counting containers; stops counting past `maximumDepth` (and so terminates on
    /// cycles built through the memo).
    static func depth(_ value: Value, limit: Int = maximumDepth + 1) -> Int {
        guard limit > 0 else { return 1 }
        let items: [Value]
        switch value {
        case .tuple(let values): items = values
        case .list(let box): items = box.items
        case .dict(let box): items = box.items.flatMap { [$0.key, $0.value] }
        default: return 0
        }
        var deepest = 0
        for item in items {
            deepest = max(deepest, depth(item, limit: limit - 1))
            if deepest >= limit { break }
        }
        return deepest + 1
    }

    private func checkDepth(_ value: Value) throws(VisionModelError) {
        guard Self.depth(value) <= Self.maximumDepth else {
            throw fail("containers nested deeper than \(Self.maximumDepth)")
        }
    }

    private var cursor: ByteCursor
    private var stack: [Value] = []
    private var marks: [Int] = []
    private var memo: [Int: Value] = [:]
    private let allowsPersistentIDs: Bool

    init(bytes: [UInt8], at position: Int = 0, allowsPersistentIDs: Bool) {
        self.cursor = ByteCursor(bytes, at: position, truncationKind: .malformedPickle, context: "pickle")
        self.allowsPersistentIDs = allowsPersistentIDs
    }

    /// Byte offset just after the last `STOP` executed.
    var position: Int { cursor.position }

    private func fail(_ message: String) -> VisionModelError {
        VisionModelError(.malformedPickle, "pickle: \(message) (byte \(cursor.position))")
    }

    private mutating func pop() throws(VisionModelError) -> Value {
        guard let value = stack.popLast() else { throw fail("stack underflow") }
        if let mark = marks.last, stack.count < mark { throw fail("stack underflow past a mark") }
        return value
    }

    private mutating func popToMark() throws(VisionModelError) -> [Value] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw fail("no mark on the stack") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private func top() throws(VisionModelError) -> Value {
        guard let value = stack.last, stack.count > (marks.last ?? 0) else { throw fail("empty stack") }
        return value
    }

    private mutating func readString(_ count: Int) throws(VisionModelError) -> String {
        let raw = try cursor.readBytes(count)
        guard let string = String(validating: raw, as: UTF8.self) else { throw fail("string is not valid UTF-8") }
        return string
    }

    /// Runs one pickle (up to and including its `STOP`) and returns its value.
    mutating func run() throws(VisionModelError) -> Value {
        stack = []
        marks = []
        memo = [:]
        while true {
            let opcode = try cursor.readByte()
            switch opcode {
            case 0x80:  // PROTO
                let version = try cursor.readByte()
                guard version <= 5 else { throw fail("unsupported pickle protocol \(version)") }
            case 0x95:  // FRAME
                _ = try cursor.readUnsigned(8)
            case 0x2E:  // STOP
                let value = try pop()
                guard stack.isEmpty else { throw fail("values left on the stack at STOP") }
                return value
            case 0x28:  // MARK
                marks.append(stack.count)
            case 0x30:  // POP
                _ = try pop()
            case 0x31:  // POP_MARK
                _ = try popToMark()
            case 0x32:  // DUP
                stack.append(try top())
            case 0x4E:  // NONE
                stack.append(.none)
            case 0x88:  // NEWTRUE
                stack.append(.bool(true))
            case 0x89:  // NEWFALSE
                stack.append(.bool(false))
            case 0x4A:  // BININT
                stack.append(.int(Int(Int32(truncatingIfNeeded: try cursor.readUnsigned(4)))))
            case 0x4B:  // BININT1
                stack.append(.int(Int(try cursor.readByte())))
            case 0x4D:  // BININT2
                stack.append(.int(Int(try cursor.readUnsigned(2))))
            case 0x8A:  // LONG1
                let count = Int(try cursor.readByte())
                stack.append(.int(try readLong(count)))
            case 0x47:  // BINFLOAT (big-endian double)
                let raw = try cursor.readBytes(8)
                var bits: UInt64 = 0
                for byte in raw { bits = (bits << 8) | UInt64(byte) }
                stack.append(.float(Double(bitPattern: bits)))
            case 0x58:  // BINUNICODE
                let count = try cursor.readUInt32()
                stack.append(.string(try readString(count)))
            case 0x8C:  // SHORT_BINUNICODE
                let count = Int(try cursor.readByte())
                stack.append(.string(try readString(count)))
            case 0x8D:  // BINUNICODE8
                let count = try cursor.readUInt64AsInt()
                stack.append(.string(try readString(count)))
            case 0x43:  // SHORT_BINBYTES
                let count = Int(try cursor.readByte())
                stack.append(.bytes(Array(try cursor.readBytes(count))))
            case 0x42:  // BINBYTES
                let count = try cursor.readUInt32()
                stack.append(.bytes(Array(try cursor.readBytes(count))))
            case 0x29:  // EMPTY_TUPLE
                stack.append(.tuple([]))
            case 0x74:  // TUPLE
                let tuple = Value.tuple(try popToMark())
                try checkDepth(tuple)
                stack.append(tuple)
            case 0x85:  // TUPLE1
                let a = try pop()
                try checkDepth(.tuple([a]))
                stack.append(.tuple([a]))
            case 0x86:  // TUPLE2
                let b = try pop()
                let a = try pop()
                try checkDepth(.tuple([a, b]))
                stack.append(.tuple([a, b]))
            case 0x87:  // TUPLE3
                let c = try pop()
                let b = try pop()
                let a = try pop()
                try checkDepth(.tuple([a, b, c]))
                stack.append(.tuple([a, b, c]))
            case 0x5D:  // EMPTY_LIST
                stack.append(.list(ListBox()))
            case 0x6C:  // LIST
                let box = ListBox()
                box.items = try popToMark()
                try checkDepth(.list(box))
                stack.append(.list(box))
            case 0x61:  // APPEND
                let item = try pop()
                guard case .list(let box) = try top() else { throw fail("APPEND on a non-list") }
                box.items.append(item)
                try checkDepth(.list(box))
            case 0x65:  // APPENDS
                let items = try popToMark()
                guard case .list(let box) = try top() else { throw fail("APPENDS on a non-list") }
                box.items.append(contentsOf: items)
                try checkDepth(.tuple(items))
            case 0x7D:  // EMPTY_DICT
                stack.append(.dict(DictBox()))
            case 0x64:  // DICT
                let items = try popToMark()
                let box = DictBox()
                try setItems(box, items)
                try checkDepth(.dict(box))
                stack.append(.dict(box))
            case 0x73:  // SETITEM
                let value = try pop()
                let key = try pop()
                guard case .dict(let box) = try top() else { throw fail("SETITEM on a non-dict") }
                try checkDepth(.tuple([key, value]))
                box.items.append((key, value))
            case 0x75:  // SETITEMS
                let items = try popToMark()
                guard case .dict(let box) = try top() else { throw fail("SETITEMS on a non-dict") }
                try checkDepth(.tuple(items))
                try setItems(box, items)
            case 0x71:  // BINPUT
                memo[Int(try cursor.readByte())] = try top()
            case 0x72:  // LONG_BINPUT
                memo[try cursor.readUInt32()] = try top()
            case 0x94:  // MEMOIZE
                memo[memo.count] = try top()
            case 0x68:  // BINGET
                let index = Int(try cursor.readByte())
                guard let value = memo[index] else { throw fail("BINGET of unknown memo \(index)") }
                stack.append(value)
            case 0x6A:  // LONG_BINGET
                let index = try cursor.readUInt32()
                guard let value = memo[index] else { throw fail("LONG_BINGET of unknown memo \(index)") }
                stack.append(value)
            case 0x63:  // GLOBAL
                let module = String(decoding: try cursor.readLine(), as: UTF8.self)
                let name = String(decoding: try cursor.readLine(), as: UTF8.self)
                stack.append(.global(try Self.resolveGlobal(module: module, name: name)))
            case 0x93:  // STACK_GLOBAL
                guard case .string(let name) = try pop(), case .string(let module) = try pop() else {
                    throw fail("STACK_GLOBAL needs two strings")
                }
                stack.append(.global(try Self.resolveGlobal(module: module, name: name)))
            case 0x51:  // BINPERSID
                guard allowsPersistentIDs else { throw fail("persistent id where none is expected") }
                stack.append(try makeStorage(try pop()))
            case 0x52:  // REDUCE
                let arguments = try pop()
                let callable = try pop()
                stack.append(try reduce(callable, arguments))
            case 0x62:  // BUILD
                _ = try pop()  // the state: OrderedDict's __dict__ (the state dict's `_metadata`); not needed
                guard case .dict = try top() else { throw fail("BUILD on a \(try top().kindName); only dicts are accepted") }
            default:
                throw VisionModelError(
                    .unsupportedOpcode,
                    "pickle: opcode 0x\(String(opcode, radix: 16)) at byte \(cursor.position - 1) is not accepted in a state dict"
                )
            }
        }
    }

    private mutating func readLong(_ count: Int) throws(VisionModelError) -> Int {
        guard count <= 8 else { throw fail("integer of \(count) bytes is too large") }
        if count == 0 { return 0 }
        let raw = try cursor.readUnsigned(count)
        if count == 8 { return Int(Int64(bitPattern: raw)) }
        let signBit: UInt64 = 1 << UInt64(8 * count - 1)
        return raw & signBit != 0 ? Int(raw) - Int(1 << UInt64(8 * count)) : Int(raw)
    }

    private func setItems(_ box: DictBox, _ items: [Value]) throws(VisionModelError) {
        guard items.count % 2 == 0 else { throw fail("odd number of items for a dict") }
        var i = 0
        while i < items.count {
            box.items.append((items[i], items[i + 1]))
            i += 2
        }
    }

    static func resolveGlobal(module: String, name: String) throws(VisionModelError) -> Global {
        switch (module, name) {
        case ("collections", "OrderedDict"): return .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): return .rebuildTensorV2
        case ("torch", "FloatStorage"): return .storageType(.float32)
        case ("torch", "LongStorage"): return .storageType(.int64)
        default:
            throw VisionModelError(
                .forbiddenGlobal,
                "pickle: global \(module).\(name) is not allowed (only collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch.FloatStorage and torch.LongStorage are)"
            )
        }
    }

    /// `('storage', <storage class>, key, location, numel[, view_metadata])`.
    private func makeStorage(_ pid: Value) throws(VisionModelError) -> Value {
        guard case .tuple(let fields) = pid, fields.count == 5 || fields.count == 6,
            case .string("storage") = fields[0]
        else { throw fail("persistent id is not a ('storage', …) tuple") }
        guard case .global(let global) = fields[1], case .storageType(let dtype) = global else {
            throw fail("persistent id does not name a storage class")
        }
        guard case .string(let key) = fields[2] else { throw fail("storage key is not a string") }
        guard case .string = fields[3] else { throw fail("storage location is not a string") }
        guard case .int(let count) = fields[4], count >= 0 else { throw fail("storage size is not a non-negative int") }
        if fields.count == 6 {
            guard case .none = fields[5] else { throw fail("storage views (legacy view metadata) are not supported") }
        }
        return .storage(StorageReference(key: key, dtype: dtype, elementCount: count))
    }

    private func reduce(_ callable: Value, _ arguments: Value) throws(VisionModelError) -> Value {
        guard case .global(let global) = callable else { throw fail("REDUCE on a \(callable.kindName)") }
        guard case .tuple(let args) = arguments else { throw fail("REDUCE arguments are not a tuple") }
        switch global {
        case .orderedDict:
            guard args.isEmpty else { throw fail("OrderedDict with arguments is not supported") }
            return .dict(DictBox())
        case .rebuildTensorV2:
            // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
            guard args.count == 6 || args.count == 7 else { throw fail("_rebuild_tensor_v2 takes 6 or 7 arguments") }
            guard case .storage(let storage) = args[0] else { throw fail("_rebuild_tensor_v2: first argument is not a storage") }
            guard case .int(let offset) = args[1], offset >= 0 else { throw fail("_rebuild_tensor_v2: bad storage offset") }
            let shape = try intTuple(args[2], "size")
            let strides = try intTuple(args[3], "stride")
            guard shape.count == strides.count, shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }) else {
                throw fail("_rebuild_tensor_v2: size and stride disagree or are negative")
            }
            return .tensor(TensorReference(storage: storage, offset: offset, shape: shape, strides: strides))
        case .storageType(let dtype):
            throw fail("storage class \(dtype.rawValue) cannot be called")
        }
    }

    private func intTuple(_ value: Value, _ what: String) throws(VisionModelError) -> [Int] {
        guard case .tuple(let items) = value else { throw fail("_rebuild_tensor_v2: \(what) is not a tuple") }
        var result: [Int] = []
        for item in items {
            guard case .int(let n) = item else { throw fail("_rebuild_tensor_v2: \(what) holds a non-integer") }
            result.append(n)
        }
        return result
    }
}
