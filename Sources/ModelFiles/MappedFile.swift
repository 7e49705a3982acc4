// MappedFile — a read-only memory map of a whole file, unmapped when the last reference goes away.
//
// Mapping a 700 MB checkpoint takes < 1 ms and costs no RAM until pages are touched (shared/PLATFORM.md):
// the kernel pages weights in on first use and shares them between processes. Nothing is copied.
//
// On Linux the map is made with MAP_POPULATE: the kernel fills the page tables for the whole file inside the
// one mmap call, instead of one page fault per 4 KB page (or per fault-around block) the first time a kernel
// reads it. Every user of this type (safetensors checkpoints) reads all of its file, so nothing is wasted; with a
// warm page cache it makes a fresh process's first forward pass over ERNIE-4.5-0.3B's 722 MB cheaper
// (docs/PERFORMANCE.md, "ERNIE-4.5-0.3B engine"), and with a cold cache it reads the file sequentially.
// `EngineOptions.mapPopulate` turns it off (for measuring the difference: LMLAB_MAP_POPULATE=0, --no-map-populate).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LabCore

/// A file mapped read-only into memory. Pointers into `bytes` stay valid while this object is alive.
public final class MappedFile: @unchecked Sendable {
    /// The mapped file.
    public let url: URL
    /// The whole file's bytes (empty for an empty file, which is not mapped).
    public let bytes: UnsafeRawBufferPointer

    /// Maps `url` read-only.
    /// - Throws: `SafetensorsError.cannotOpen` naming the file and the system's reason, `.notRegularFile` for a
    ///   FIFO, a device or a folder.
    public init(url: URL) throws {
        self.url = url
        // O_NONBLOCK: a FIFO with no writer would block open(2) for ever; the type is checked on the descriptor
        // (no race with a swapped path); the flag does not matter to mmap.
        let fd = open(url.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw SafetensorsError.cannotOpen(file: url.path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }                       // the mapping outlives the descriptor
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SafetensorsError.cannotOpen(file: url.path, reason: String(cString: strerror(errno)))
        }
        if let found = nonRegularFileKind(mode: info.st_mode) {
            throw SafetensorsError.notRegularFile(file: url.path, found: found)
        }
        let size = Int(info.st_size)
        if size == 0 {                            // mmap of length 0 fails; an empty file has no bytes to map
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE | Self.populateFlag, fd, 0), base != MAP_FAILED else {
            throw SafetensorsError.cannotOpen(file: url.path, reason: "mmap: " + String(cString: strerror(errno)))
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    /// False while a loader maps a file it will only read once, to convert it (ERNIE's int8/int4/f32 loads): then
    /// the pages come in as the conversion reads them and leave once each matrix is converted, so the resident set
    /// never holds the whole file beside its converted copy.
    @TaskLocal public static var populate = true

    /// MAP_POPULATE when `EngineOptions.current.mapPopulate` and `populate` (Linux); 0 elsewhere.
    static var populateFlag: Int32 {
        #if os(Linux)
        return EngineOptions.current.mapPopulate && populate ? Int32(MAP_POPULATE) : 0
        #else
        return 0
        #endif
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
