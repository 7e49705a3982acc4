// `lmlab probe URL`: ask an OpenAI-compatible /v1/completions server what it can tell us about its model.
import ArgumentParser
import Decoding
import Foundation
import Lab

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Ask an OpenAI-compatible server (vLLM, llama.cpp, ollama…) what log-probs it gives.",
        discussion: CommandHelp.probe)

    @Argument(help: "The server root, e.g. http://127.0.0.1:8000.")
    var url: String
    @OptionGroup var output: JSONOutput
    @Option(name: .long, parsing: .unconditional, help: "Seconds to wait for each answer (default 30; at most 3600).")
    var timeout: Double?
    @Option(name: .long, help: "The prompt to probe with.")
    var prompt: String?

    func validate() throws {
        try checkPositive("--timeout", timeout, maximum: 3600)
    }

    func run() throws {
        let client = try CompletionsClient(url, timeout: timeout ?? 30)
        let probe = try ServerProbe.run(client, prompt: prompt ?? "The capital of France is")
        if output.json { print(try jsonString(probe)); return }
        print(probe.summary)
    }
}
