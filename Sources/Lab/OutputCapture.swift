// OutputCapture — a lesson cell's stray prints: commands print with `print` and to FileHandle.standardError, so for
// the duration of one command the process's file descriptors 1 and 2 are dup2'd onto a pipe whose reader thread
// hands the text, as it arrives, to the session (LabCLI's LessonCellExecutor). The notebook's ncurses screen writes
// to /dev/tty through its own descriptor, so it keeps drawing meanwhile.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Redirects file descriptors 1 and 2 into a pipe while `body` runs, streaming what arrives to `chunk`.
/// One capture at a time in the process: descriptors 1 and 2 are the process's, and a second capture started meanwhile
/// on another thread saved the first one's pipe as "the original", put it back when it ended and so held the first
/// reader open for ever (the test suite, capturing in parallel suites, hung that way). A capture inside a capture on
/// the same thread nests as before.
public enum OutputCapture {
    private static let oneAtATime = NSRecursiveLock()

    public static func run(_ body: () -> Void, chunk: @escaping (String) -> Void) {
        oneAtATime.lock()
        defer { oneAtATime.unlock() }
        fflush(stdout)
        fflush(stderr)
        // Line-buffer stdout while it is a pipe, so printed lines and stderr messages arrive in the order written.
        setvbuf(stdout, nil, _IOLBF, 0)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { body(); return }
        let saved1 = dup(1), saved2 = dup(2)
        dup2(fds[1], 1)
        dup2(fds[1], 2)
        close(fds[1])
        let reader = fds[0]
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(reader, &buffer, buffer.count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                pending += buffer[0..<n]
                // Hand over whole UTF-8 characters only; a character split across reads waits for its tail.
                var cut = pending.count
                var back = 0
                while back < 4 && cut - back - 1 >= 0 && pending[cut - back - 1] & 0xC0 == 0x80 { back += 1 }
                if cut - back - 1 >= 0 {
                    let lead = pending[cut - back - 1]
                    let need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
                    if need > back + 1 { cut = cut - back - 1 }
                }
                if cut > 0 {
                    chunk(String(decoding: pending[0..<cut], as: UTF8.self))
                    pending.removeFirst(cut)
                }
            }
            if !pending.isEmpty { chunk(String(decoding: pending, as: UTF8.self)) }
            done.signal()
        }
        thread.start()
        body()
        fflush(stdout)
        fflush(stderr)
        dup2(saved1, 1)
        dup2(saved2, 2)
        close(saved1)
        close(saved2)
        done.wait()
        close(reader)
    }
}
