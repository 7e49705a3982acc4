// `lmlab download NAME|ORG/REPO`: fetch a model from the Hugging Face Hub (or a mirror, or ModelScope) into the shared
// HF cache, with a progress bar, resume and SHA-256 checks (Lab/ModelDownload.swift does it; this parses and prints).
import ArgumentParser
import Foundation
import Hub
import Lab
import TerminalUI

struct DownloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a model from the Hugging Face Hub or ModelScope into the shared Hugging Face cache.",
        discussion: CommandHelp.download)

    @Argument(help: "A catalog name (ernie-4.5-0.3b) or a Hub repository (baidu/ERNIE-4.5-0.3B-PT).")
    var model: String

    @Option(name: .long, help: "Branch, tag or commit to download (default: the catalog's, else main).")
    var revision: String?

    @Option(name: .long, help: "Hub address, e.g. a mirror (default: $HF_ENDPOINT, else https://huggingface.co).")
    var endpoint: String?

    @Option(name: .long, help: "Where from: huggingface (default) or modelscope.")
    var source: HubSource = .huggingface

    var download: ModelDownload { ModelDownload(model: model, revision: revision, source: source, endpoint: endpoint) }

    /// Where the download comes from (the network effect CellPolicy judges).
    var hubEndpoint: HubEndpoint { download.hubEndpoint }

    func validate() throws { try usage { try download.check() } }

    func run() throws {
        let lines: [String]
        do {
            lines = try download.run(note: FileHandleOutput.standardError)
        } catch let error as HubError {
            throw FailureShownAbove(summary: error.description)
        }
        for line in lines { print(line) }
    }
}

extension HubSource: ExpressibleByArgument {}
