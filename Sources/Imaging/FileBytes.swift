#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a whole regular file with POSIX calls (one allocation of the file's size, no Foundation).
enum FileBytes {
    /// The file's bytes, or `nil` when the path can't be opened or is not a regular file (a directory, a FIFO…).
    static func contents(of path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        guard size > 0 else { return [] }
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else {
                failed = true
                return
            }
            var done = 0
            while done < size {
                let count = read(fd, base + done, size - done)
                if count > 0 {
                    done += count
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    failed = count < 0
                    break
                }
            }
            initialized = done
        }
        return failed ? nil : bytes
    }
}
