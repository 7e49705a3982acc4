// One `lmlab serve` of the shipped tiny ERNIE for the LabCLI tests that talk to a real server (ServeCheckTests,
// APIEverywhereTests), and the way to call the lab's blocking clients from an async test.
import Foundation
import Lab
import Serve

/// `lmlab serve` of the shipped tiny ERNIE on a free loopback port, for the life of the test process: its URL.
let servedTinyErnie = Task { () throws -> String in
    let loaded = try ModelLoader.load(shippedTinyErnie)
    let engine = ServeEngine(model: loaded.model, tokenizer: try loaded.requireTokenizer("tiny-ernie"), modelName: "tiny-ernie")
    let server = try OpenAIServer(engine: engine, host: "127.0.0.1", port: 0)
    Task { try await server.run() }
    return try await server.waitUntilListening()
}

/// Runs blocking work (the commands wait on URLSession) on its own thread, never on the cooperative pool that
/// the server's connections need.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in Thread { c.resume(with: Result { try work() }) }.start() }
}
