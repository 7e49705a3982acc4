// `train tiny-ernie --tokenizer DIR` and `train tiny-instruct --base DIR` copy DIR's tokenizer files into the new
// model's folder (TinyErnieRecipe.copyTokenizer). DIR may come with a lesson: a symbolic link in it is never copied
// as a link (planted in the learner's models folder, it would send a later write anywhere — hostile-input audit 14,
// F1), a link to a regular file is copied as that file's bytes, and anything else is refused naming the file,
// before anything is copied. Every link and FIFO is made here, in a temporary folder.
import Foundation
import LabCore
import Testing
@testable import ErnieTraining

private let tokenizerFiles = ["tokenizer.model", "tokenizer_config.json", "special_tokens_map.json",
                              "generation_config.json"]

/// <root>/tok with the four tokenizer files as small regular files, except `odd`, which `make` creates.
private func tokenizerFolder(_ root: URL, odd: String, make: (URL) throws -> Void) throws -> URL {
    let tok = root.appendingPathComponent("tok")
    try FileManager.default.createDirectory(at: tok, withIntermediateDirectories: true)
    for file in tokenizerFiles where file != odd {
        try Data("{\"\(file)\": 1}".utf8).write(to: tok.appendingPathComponent(file))
    }
    try make(tok.appendingPathComponent(odd))
    return tok
}

private func isLink(_ url: URL) -> Bool {
    var info = stat()
    return lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
}

@Suite struct TrainTokenizerCopyTests {
    @Test func aLinkToAFolderIsRefusedNamingItAndNothingIsCopied() throws {
        let root = temporaryFolder("tokcopy-folder")
        defer { try? FileManager.default.removeItem(at: root) }
        let tok = try tokenizerFolder(root, odd: "generation_config.json") {
            try FileManager.default.createSymbolicLink(atPath: $0.path, withDestinationPath: "../..")
        }
        let out = root.appendingPathComponent("models/tiny-ernie")
        let error = #expect(throws: TinyErnieError.self) { try TinyErnieRecipe.copyTokenizer(from: tok, to: out) }
        let message = Learner.$language.withValue(.en) { error?.description ?? "" }
        let named = tok.appendingPathComponent("generation_config.json").path
        #expect(message.hasPrefix(named + ": is not a regular file"), "\(message)")
        #expect(message.contains("HINT:"))
        let copied = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        #expect(copied.isEmpty, "\(copied)")
        #expect(!isLink(out.appendingPathComponent("generation_config.json")))
    }

    @Test func aLinkToARegularFileIsCopiedAsItsBytes() throws {
        let root = temporaryFolder("tokcopy-file")
        defer { try? FileManager.default.removeItem(at: root) }
        let elsewhere = root.appendingPathComponent("elsewhere.json")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("{\"elsewhere\": 1}".utf8).write(to: elsewhere)
        let tok = try tokenizerFolder(root, odd: "tokenizer_config.json") {
            try FileManager.default.createSymbolicLink(atPath: $0.path, withDestinationPath: "../elsewhere.json")
        }
        let out = root.appendingPathComponent("out")
        try TinyErnieRecipe.copyTokenizer(from: tok, to: out)
        for file in tokenizerFiles { #expect(!isLink(out.appendingPathComponent(file)), "\(file) copied as a link") }
        let copy = try Data(contentsOf: out.appendingPathComponent("tokenizer_config.json"))
        #expect(try copy == Data(contentsOf: elsewhere))
    }

    @Test func aFIFOIsRefusedWithoutWaitingOnIt() throws {
        let root = temporaryFolder("tokcopy-fifo")
        defer { try? FileManager.default.removeItem(at: root) }
        let tok = try tokenizerFolder(root, odd: "special_tokens_map.json") { #expect(mkfifo($0.path, 0o600) == 0) }
        let error = #expect(throws: TinyErnieError.self) {
            try TinyErnieRecipe.copyTokenizer(from: tok, to: root.appendingPathComponent("out"))
        }
        #expect(error?.description.contains("special_tokens_map.json") == true)
    }
}
