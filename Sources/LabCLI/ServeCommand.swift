// `lmlab serve`: the lab's engine as an OpenAI-compatible server (Serve/ServeLoop.swift loads the model and runs it
// until Ctrl-C or SIGTERM, after the answers in progress are sent). This file reads the options and prints the URL
// as the first line.
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
        try usage { try APISettings.checkKey(apiKey) }
    }

    func run() throws {
        let exitCode = try ServeLoop.serve(model: model, host: host, port: port, apiKey: apiKey) { url, notes in
            print(url)
            fflush(stdout)
            notes.forEach(FileHandleOutput.standardError)
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
