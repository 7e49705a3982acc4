// `lmlab serve`: the lab's engine as an OpenAI-compatible server (the Serve target does the work). This file reads
// the options, loads the model, prints the URL as the first line, and stops on Ctrl-C or SIGTERM after the answers
// in progress are sent.
import ArgumentParser
import Foundation
import Lab
import Serve

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model as an OpenAI-compatible API (completions with prompt log-probs, chat).",
        discussion: CommandHelp.serve)

    @Option(name: .long, help: "The model to serve (a folder or a name).")
    var model: String
    @Option(name: .long, help: "The IPv4 address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).")
    var host = "127.0.0.1"
    @Option(name: .long, parsing: .unconditional, help: "The port (0 picks a free one).")
    var port = 8080
    @Option(name: .customLong("api-key"), help: "Require `Authorization: Bearer KEY` on every request.")
    var apiKey: String?

    func validate() throws {
        try checkRange("--port", port, 0...65535)
        if let apiKey, apiKey.isEmpty { throw ValidationError("--api-key is empty. HINT: give a key, or leave the option out.") }
    }

    func run() throws {
        let loaded = try ModelLoader.load(model)
        let tokenizer = try loaded.requireTokenizer(model)
        let name = URL(fileURLWithPath: model).standardizedFileURL.lastPathComponent
        let engine = ServeEngine(model: loaded.model, tokenizer: tokenizer, modelName: name)
        let server: OpenAIServer
        do { server = try OpenAIServer(engine: engine, host: host, port: UInt16(port), apiKey: apiKey) } catch let e as ServeError {
            throw ValidationError(e.message)
        }
        let exitCode = try ServeLoop.run(server) { url in
            print(url)
            fflush(stdout)
            if host != "127.0.0.1" && host != "localhost" {
                FileHandleOutput.standardError("lmlab serve: WARNING: listening on \(host), so other machines can reach "
                    + "this server" + (apiKey == nil ? " and anyone who can is served (no --api-key)" : "")
                    + ". HINT: use --host 127.0.0.1 unless you mean to share it.")
            }
            FileHandleOutput.standardError("serving \(name) (context \(engine.contextLength) tokens); Ctrl-C stops")
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
