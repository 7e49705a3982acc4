// FuzzLoop — one target's mutation loop, run in a child process so that a crash ends only that child.
//
// Before each execution the input is copied into a shared memory-mapped file (`InputRecorder`), with a
// counter of executions beside it: when the parser kills the process (a trap, a segfault, an AddressSanitizer
// report), the input that did it is still in the file, and the parent (Supervisor.swift) saves it for replay.
//
// Each execution takes a seed (or, one time in four, an input that earlier produced an error message not seen
// before — the only feedback this fuzzer uses), lets the target stack one to five mutations on it and runs the parser.
// Error messages are counted after masking numbers and quoted values, so "key \"a\"" and "key \"b\"" are
// one kind of message. Every message must end in a HINT (the codebase's rule for errors); those that do not are
// listed. Messages beginning "CONTRACT:" are broken promises (FuzzTargets.swift) and their inputs are saved.

import Foundation
import LabCore

/// What one child reports (written as JSON every few seconds and at the end).
struct FuzzStats: Codable {
    var target: String
    var seed: UInt64
    var executions = 0
    var seconds = 0.0
    /// Inputs the parser accepted without an error.
    var accepted = 0
    var errors = 0
    var distinctErrors = 0
    /// Up to 12 distinct messages, as examples.
    var sampleErrors: [String] = []
    /// Distinct messages without "HINT:" (up to 20).
    var withoutHint: [String] = []
    /// Contract violations (distinct, up to 20); their inputs are saved in the crash folder.
    var contractViolations: [String] = []
}

/// The input about to run, kept in a shared file mapping: [executions: UInt64][length: UInt64][bytes…].
final class InputRecorder {
    static let capacity = 8 << 20
    let url: URL
    private let base: UnsafeMutableRawPointer

    /// Creates (or reopens) the file at `url` and maps it shared.
    init(url: URL) throws {
        self.url = url
        let fd = open(url.path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0, ftruncate(fd, off_t(16 + Self.capacity)) == 0 else {
            throw FuzzError.contract("cannot create \(url.path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        guard let p = mmap(nil, 16 + Self.capacity, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), p != MAP_FAILED else {
            throw FuzzError.contract("cannot map \(url.path): \(String(cString: strerror(errno)))")
        }
        base = p
    }

    deinit { munmap(base, 16 + Self.capacity) }

    var executions: UInt64 {
        get { base.load(as: UInt64.self) }
        set { base.storeBytes(of: newValue, as: UInt64.self) }
    }

    func record(_ input: [UInt8]) {
        let n = min(input.count, Self.capacity)
        base.storeBytes(of: UInt64(n), toByteOffset: 8, as: UInt64.self)
        if n > 0 { input.withUnsafeBytes { (base + 16).copyMemory(from: $0.baseAddress!, byteCount: n) } }
    }

    /// The last recorded input.
    var input: [UInt8] {
        let n = min(Int(base.load(fromByteOffset: 8, as: UInt64.self)), Self.capacity)
        return Array(UnsafeRawBufferPointer(start: base + 16, count: n))
    }
}

/// Masks what varies between messages of one kind: numbers, quoted values, and the body an API error quotes.
func normalizeMessage(_ message: String) -> String {
    var message = Substring(message)
    if let a = message.range(of: "it starts with \""), let b = message.range(of: "\". HINT:", options: .backwards),
       a.upperBound <= b.lowerBound {
        message.replaceSubrange(a.upperBound..<b.lowerBound, with: "…")
    }
    var out = ""
    var inQuote = false
    var lastDigit = false
    for ch in message.prefix(600) {
        if ch == "\"" { inQuote.toggle(); out.append(inQuote ? "\"…" : "\""); lastDigit = false; continue }
        if inQuote { continue }
        if ch.isASCII, ch.isNumber { if !lastDigit { out.append("N") }; lastDigit = true; continue }
        lastDigit = false
        out.append(ch)
    }
    return out
}

struct FuzzLoop {
    let target: FuzzTarget
    let recorder: InputRecorder
    let statsURL: URL
    let crashDir: URL
    static let maxInput = 4 << 20

    func run(executions: Int, seconds: Double, seed: UInt64) throws -> FuzzStats {
        var stats = FuzzStats(target: target.name, seed: seed)
        var rng = SeededRNG(seed: seed)
        var seen = Set<String>()
        var noHint = Set<String>(), contracts = Set<String>()
        var interesting: [[UInt8]] = []
        let start = Date()
        var lastWrite = start

        func execute(_ input: [UInt8]) throws {
            recorder.record(input)
            let messages = target.execute(input)
            stats.executions += 1
            recorder.executions = UInt64(stats.executions)
            if messages.isEmpty { stats.accepted += 1; return }
            stats.errors += 1
            for m in messages {
                let key = normalizeMessage(m)
                guard seen.insert(key).inserted else { continue }
                if stats.sampleErrors.count < 12 { stats.sampleErrors.append(String(m.prefix(400))) }
                if input.count <= 64 << 10 {      // large inputs make slow executions; mutate those from the seeds
                    if interesting.count < 2000 { interesting.append(input) } else { interesting[rng.nextInt(below: 2000)] = input }
                }
                if m.hasPrefix("CONTRACT:") {
                    if contracts.insert(key).inserted, contracts.count <= 20 {
                        stats.contractViolations.append(String(m.prefix(400)))
                        _ = try saveInput(input, target: target.name, how: "contract", in: crashDir)
                    }
                } else if !m.contains("HINT:"), noHint.insert(key).inserted, noHint.count <= 20 {
                    stats.withoutHint.append(String(m.prefix(400)))
                }
            }
            stats.distinctErrors = seen.count
        }

        for s in target.seeds where stats.executions < executions { try execute(s) }   // the seeds themselves first
        while stats.executions < executions {
            var input = interesting.isEmpty || rng.chance(0.75) ? rng.pick(target.seeds) : rng.pick(interesting)
            let donor = rng.pick(target.seeds)
            target.mutate(&input, &rng, donor)
            if input.count > Self.maxInput { input.removeSubrange(Self.maxInput...) }
            try execute(input)
            if stats.executions & 63 == 0 {
                let now = Date()
                if now.timeIntervalSince(start) >= seconds { break }
                if now.timeIntervalSince(lastWrite) >= 5 {
                    stats.seconds = now.timeIntervalSince(start)
                    try write(stats)
                    lastWrite = now
                }
            }
        }
        stats.seconds = Date().timeIntervalSince(start)
        try write(stats)
        return stats
    }

    func write(_ stats: FuzzStats) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(stats).write(to: statsURL, options: .atomic)
    }
}

/// Saves `input` as <crashDir>/<target>-<how>-<hash>.bin (the supervisor made the folder) and returns the file.
/// - Throws: `FileSystemProblem` naming the file: a find that cannot be replayed must stop the run, not vanish.
func saveInput(_ input: [UInt8], target: String, how: String, in crashDir: URL) throws -> URL {
    let url = crashDir.appendingPathComponent("\(target)-\(how)-\(fnv1a(input)).bin")
    do { try Data(input).write(to: url) } catch {
        throw FileSystemProblem(path: url.path, found: "cannot save the input that broke the parser: \(fileSystemReason(error))",
                                hint: "pass a writable --crash-dir.")
    }
    return url
}

/// FNV-1a, 64-bit, as 16 hex digits: a stable name for a saved input.
func fnv1a(_ bytes: [UInt8]) -> String {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
