// ServeLoop — runs a server from synchronous code until Ctrl-C or SIGTERM: listen, say where, wait for a signal,
// stop accepting, let the answers in progress finish (up to `drain` seconds), return the shell's status for the
// signal (130 for Ctrl-C, 143 for SIGTERM).

import Foundation
import Lab
import LabCore
#if canImport(Glibc)
import Glibc
#endif

public enum ServeLoop {
    /// - Parameter onListening: called once with the URL, when the port is bound.
    /// - Throws: `ServeError` when the server cannot listen (the port is taken, the address is not this machine's).
    public static func run(_ server: OpenAIServer, drain: Double = 30,
                           onListening: @escaping @Sendable (String) -> Void) throws -> Int32 {
        final class Outcome: @unchecked Sendable { var error: Error?; var signal: Int32 = 0 }
        let outcome = Outcome()
        let finished = DispatchSemaphore(value: 0)
        let listening = DispatchSemaphore(value: 0)      // the port is bound, or the server gave up
        let serving = Task {
            do { try await server.run() } catch { outcome.error = error }
            listening.signal()
            finished.signal()
        }
        Task {
            if let url = try? await server.waitUntilListening() { onListening(url) }
            listening.signal()
        }
        listening.wait()
        if let error = outcome.error { throw cannotListen(server, error) }
        var sources: [DispatchSourceSignal] = []
        // Worded here, in the learner's language, not in the handler (another thread).
        let stopping = [SIGINT, SIGTERM].map { sig in
            "lmlab serve: " + Learner.text("\(sig == SIGINT ? "Ctrl-C" : "SIGTERM"): finishing the answers in progress, then stopping",
                                           "\(sig == SIGINT ? "Ctrl-C" : "SIGTERM")：先答完正在进行的请求，然后停止") + "\n"
        }
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                guard outcome.signal == 0 else { return }
                outcome.signal = sig
                FileHandle.standardError.write(Data(stopping[sig == SIGINT ? 0 : 1].utf8))
                Task { await server.stop(drain: drain); finished.signal() }
            }
            source.resume()
            sources.append(source)
        }
        finished.wait()
        _ = serving
        sources.forEach { $0.cancel() }
        if outcome.signal != 0 { return 128 + outcome.signal }
        if let error = outcome.error { throw cannotListen(server, error) }
        return 0
    }

    static func cannotListen(_ server: OpenAIServer, _ error: Error) -> ServeError {
        ServeError(status: 0, Learner.text(
            "could not listen on \(server.host): \(error.localizedDescription). HINT: another "
                + "program may hold the port: pick another with --port, or --port 0 for a free one.",
            "无法在 \(server.host) 上监听：\(error.localizedDescription)。HINT：可能有别的程序占着这个端口："
                + "用 --port 换一个，或用 --port 0 让系统挑一个空闲的。"))
    }
}

extension ServeLoop {
    /// `lmlab serve`: loads `model` (a folder or a name) and serves it on `host`:`port` until Ctrl-C or SIGTERM.
    /// `onListening` hears the URL (the first line the caller prints) and notes for stderr: a warning when other
    /// machines can reach the server, and what is served.
    /// - Throws: `OptionError` for an address or key the server refuses; what loading throws; `ServeError`
    ///   when the port cannot be bound.
    public static func serve(model: String, host: String, port: Int, apiKey: String?,
                             onListening: @escaping @Sendable (_ url: String, _ notes: [String]) -> Void)
        throws -> Int32 {
        guard let portNumber = UInt16(exactly: port) else {
            throw OptionError(Learner.text("--port \(port) is outside 0…65535. HINT: give a port in 0…65535, or 0 for a free one.",
                                           "--port \(port) 超出了 0…65535。HINT：给一个 0…65535 之间的端口，或用 0 让系统挑一个空闲的。"))
        }
        let loaded = try ModelLoader.load(model)
        let tokenizer = try loaded.requireTokenizer(model)
        let name = URL(fileURLWithPath: model).standardizedFileURL.lastPathComponent
        let engine = ServeEngine(model: loaded.model, tokenizer: tokenizer, modelName: name)
        let server: OpenAIServer
        do {
            server = try OpenAIServer(engine: engine, host: host, port: portNumber, apiKey: apiKey)
        } catch let e as ServeError {
            throw OptionError(e.message)
        }
        var notes: [String] = []
        if host != "127.0.0.1" && host != "localhost" {
            notes.append("lmlab serve: " + Learner.text(
                "WARNING: listening on \(host), so other machines can reach this server"
                    + (apiKey == nil ? " and anyone who can is served (no --api-key)" : "")
                    + ". HINT: use --host 127.0.0.1 unless you mean to share it.",
                "警告：正在 \(host) 上监听，别的机器也能连到这个服务器"
                    + (apiKey == nil ? "，而且谁连上都会得到回答（没有 --api-key）" : "")
                    + "。HINT：除非你就是想共享它，否则用 --host 127.0.0.1。"))
        }
        notes.append(servingNote(name, contextLength: engine.contextLength))
        return try run(server) { [notes] url in onListening(url, notes) }
    }

    /// What is served, under the URL: a model answering as an API ("正在提供 tiny-ernie" read as handing it out).
    static func servingNote(_ name: String, contextLength: Int) -> String {
        Learner.text("serving \(name) as an OpenAI-compatible API (context \(contextLength) tokens); Ctrl-C stops",
                     "正在以 OpenAI 兼容 API 提供 \(name)（上下文 \(contextLength) 个词元）；Ctrl-C 停止")
    }
}
