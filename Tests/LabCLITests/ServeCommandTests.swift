// The real `lmlab serve` binary: the first line is the URL, --host 0.0.0.0 warns, SIGTERM and Ctrl-C let the
// answer in progress finish and exit with the signal's status, a taken port is an error with a HINT, and a lesson
// cell never starts a server.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LabTestSupport
import Testing
@testable import LabCLI

/// Starts `lmlab serve ARGS`; returns the process, its first stdout line and a reader of its stderr.
private func startServe(_ lmlab: String, _ args: [String]) throws -> (Process, String, Pipe) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: lmlab)
    p.arguments = ["serve", "--model", shippedTinyErnie] + args
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    var line = Data()
    while true {
        let byte = out.fileHandleForReading.readData(ofLength: 1)
        if byte.isEmpty || byte == Data("\n".utf8) { break }
        line += byte
    }
    return (p, String(decoding: line, as: UTF8.self), err)
}

private func post(_ url: String, _ body: String) throws -> String {
    let client = try LoopbackFetch(url)
    return try client.post(body)
}

/// A blocking POST over URLSession, on the calling thread.
private struct LoopbackFetch {
    let url: URL
    init(_ text: String) throws { url = URL(string: text)! }
    func post(_ body: String) throws -> String {
        var request = URLRequest(url: url, timeoutInterval: 60)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        final class Box: @unchecked Sendable { var text = "" }
        let box = Box(), done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, _, _ in
            box.text = String(decoding: data ?? Data(), as: UTF8.self); done.signal()
        }.resume()
        done.wait()
        return box.text
    }
}

@Test(arguments: [(SIGTERM, Int32(143)), (SIGINT, Int32(130))])
func serveDrainsAndExitsOnASignal(_ signal: Int32, _ status: Int32) throws {
    guard let lmlab = builtLmlab() else { print("skipped: no lmlab binary beside the tests"); return }
    let (p, url, err) = try startServe(lmlab, ["--port", "0", "--host", "0.0.0.0"])
    #expect(url.hasPrefix("http://0.0.0.0:"), "the first line is the URL: \(url)")
    let port = url.split(separator: ":").last.map(String.init) ?? ""
    // An answer in progress when the signal comes is still sent whole.
    final class Box: @unchecked Sendable { var answer = "" }
    let box = Box()
    let asked = Thread { box.answer = (try? post("http://127.0.0.1:\(port)/v1/completions",
                                                 #"{"prompt": "One day", "max_tokens": 300, "temperature": 0}"#)) ?? "" }
    asked.start()
    Thread.sleep(forTimeInterval: 0.3)
    kill(p.processIdentifier, signal)
    let started = Date()
    p.waitUntilExit()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    print("serve after signal \(signal): exit \(p.terminationStatus) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; stderr: \(stderr)")
    #expect(p.terminationStatus == status)
    #expect(Date().timeIntervalSince(started) < 30)
    #expect(stderr.contains("WARNING: listening on 0.0.0.0"))
    #expect(stderr.contains("finishing the answers in progress"))
    while asked.isExecuting { Thread.sleep(forTimeInterval: 0.05) }
    #expect(box.answer.contains("\"finish_reason\""), "the answer in progress was sent: \(box.answer.prefix(80))")
}

@Test func aTakenPortIsAnErrorWithAHint() throws {
    guard let lmlab = builtLmlab() else { print("skipped: no lmlab binary beside the tests"); return }
    let (first, url, _) = try startServe(lmlab, ["--port", "0"])
    defer { kill(first.processIdentifier, SIGTERM); first.waitUntilExit() }
    let port = url.split(separator: ":").last.map(String.init) ?? ""
    let (second, line, err) = try startServe(lmlab, ["--port", port])
    second.waitUntilExit()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    print("second server on \(port): exit \(second.terminationStatus), stdout \(line.debugDescription), stderr: \(stderr)")
    #expect(second.terminationStatus == 1)
    #expect(line.isEmpty)
    #expect(stderr.contains("HINT:") && stderr.contains("--port"))
}

@Test func aLessonCellNeverStartsAServer() throws {
    let executor = LessonCellExecutor(capture: true, environment: ProcessInfo.processInfo.environment)
    var printed = ""
    let result = executor.execute("serve --model tiny-ernie --port 0", ask: { _ in true }) { printed += $0 }
    let message = "\(result)"
    #expect(message.contains("would listen on the network (127.0.0.1:0)"), "\(message)")
    #expect(message.contains("HINT: run it yourself in a terminal: lmlab serve --model tiny-ernie --port 0"), "\(message)")
}
