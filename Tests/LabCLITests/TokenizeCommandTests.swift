// `lmlab tokenize` on the committed ERNIE-like folder (Tests/TokenizersTests/Fixtures/ernie): the golden grid,
// the JSON shape, "--" before text that starts with "-", --chat, and errors that name the file and the fix.
import ArgumentParser
import Foundation
import Lab
import Testing
@testable import LabCLI
import TerminalUI
import Tokenizers

private let ernieFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("TokenizersTests/Fixtures/ernie")

private func parse(_ args: [String]) throws -> TokenizeCommand {
    let command = try LMLab.parseAsRoot(["tokenize"] + args)
    return try #require(command as? TokenizeCommand)
}

@Suite struct TokenizeCommandTests {
    init() { _ = TerminalLocale.activate() }

    @Test func goldenGrid() throws {
        let tok = try ModelLoader.tokenizer(ernieFolder.path)
        let report = try TokenizedText.make("Hello, 世界! 12\n", with: tok, bos: false, chat: false)
        let lines = TokenizedTextGrid.render(report, width: 48)
        let golden = #"""
            text:      "Hello, 世界! 12\n"

            piece │ Hello          │ ,    │ ▁世
            id    │ 883            │ 2456 │ 1242
            bytes │ 48 65 6C 6C 6F │ 2C   │ 20 E4 B8 96

            piece │ 界       │ !    │ ▁    │ 1  │ 2
            id    │ 2506     │ 2430 │ 2403 │ 6  │ 7
            bytes │ E7 95 8C │ 21   │ 20   │ 31 │ 32

            piece │ <0x0A>
            id    │ 34
            bytes │ 0A

            9 tokens, 18 bytes, 14 characters
            decoded:   "Hello, 世界! 12\n"
            round trip: identical
            """#
        let got = lines.dropFirst().joined(separator: "\n")      // the first line names the folder's absolute path
        print(got)
        #expect(got == golden)
        #expect(lines[0].hasSuffix("ernie: 3000 pieces + 7 added tokens"))

        // Added tokens are matched whole: their bytes row says so instead of spelling out the token's text.
        let added = try TokenizedText.make("<|LOC_BEGIN|>Hi<s>", with: tok, bos: false, chat: false)
        let addedGolden = #"""
            text:      "<|LOC_BEGIN|>Hi<s>"

            piece │ <|LOC_BEGIN|> │ H    │ i    │ <s>
            id    │ 3001          │ 2474 │ 2410 │ 1
            bytes │ (added)       │ 48   │ 69   │ (added)

            4 tokens, 18 bytes, 18 characters
            decoded:   "<|LOC_BEGIN|>Hi<s>"
            round trip: identical
            """#
        let gotAdded = TokenizedTextGrid.render(added, width: 80).dropFirst().joined(separator: "\n")
        print(gotAdded)
        #expect(gotAdded == addedGolden)
    }

    @Test func aLongTextShowsTheFirstTokensAndSaysHowManyMore() throws {
        // A 4 MB cell printed a 125 MB grid (hostile-input audit 14): now the grid stops at `shownTokens`.
        let tok = try ModelLoader.tokenizer(ernieFolder.path)
        let text = String(repeating: "a ", count: 50_000)
        let report = try TokenizedText.make(text, with: tok, bos: false, chat: false)
        let shown = TokenizedTextGrid.shownTokens, more = report.ids.count - shown
        let lines = TokenizedTextGrid.render(report, width: 80)
        // The text and decoded lines quote the input only as far as the shown tokens go (they quoted all of it).
        let printed = lines.joined(separator: "\n").utf8.count
        print("\(text.utf8.count) bytes, \(report.ids.count) tokens: \(printed) bytes printed for \(shown) tokens")
        #expect(more > 0 && printed < 16_384, "\(printed) bytes")
        #expect(lines.contains { $0.hasPrefix("text:      \"a a ") && $0.hasSuffix("more bytes)") }, "\(lines.prefix(3))")
        #expect(lines.contains("… \(more) more tokens are not shown (the first \(shown) are); --json lists them all"))
        #expect(report.json.ids.count == report.ids.count && report.json.pieces.count == report.ids.count)
        // Up to the cap nothing is cut.
        let whole = TokenizedTextGrid.render(report, width: 80, maxTokens: report.ids.count)
        #expect(!whole.contains { $0.contains("more tokens are not shown") })
    }

    @Test func jsonHasIdsPiecesAndDecoded() throws {
        let tok = try ModelLoader.tokenizer(ernieFolder.path)
        let report = try TokenizedText.make("我爱我的猫 <s>", with: tok, bos: true, chat: false)
        let data = try JSONSerialization.jsonObject(with: Data(jsonString(report.json).utf8)) as! [String: Any]
        #expect(Set(data.keys) == ["ids", "pieces", "decoded"])
        #expect(data["ids"] as? [Int] == [tok.bosId!] + tok.encode("我爱我的猫 <s>"))
        #expect(data["pieces"] as? [String] == report.ids.map(tok.piece))
        #expect(data["decoded"] as? String == "<s>我爱我的猫 <s>")
    }

    @Test func parsesOptionsAndTextAfterDoubleDash() throws {
        let c = try parse(["--model", ernieFolder.path, "--json", "--", "-5 degrees"])
        #expect(c.text == "-5 degrees" && c.output.json && !c.bos && !c.turn.chat)
        let d = try parse(["Hello", "--model", "x", "--bos", "--chat"])
        #expect(d.text == "Hello" && d.model == "x" && d.bos && d.turn.chat)
    }

    @Test func chatPromptUsesTheTemplate() throws {
        let tok = try ModelLoader.tokenizer(ernieFolder.path)
        let report = try TokenizedText.make("Hello!", with: tok, bos: false, chat: true)
        #expect(report.input == "<|begin_of_sentence|>User: Hello!\nAssistant: ")
        #expect(report.ids.first == tok.clsId)
        #expect(report.decoded == report.input)
    }

    @Test func bareTokenizerModelFile() throws {
        let tok = try ModelLoader.tokenizer(ernieFolder.appendingPathComponent("tokenizer.model").path)
        #expect(tok.count == 3000)
        // No tokenizer_config.json: --chat says which template it used (the markers are pieces of this model).
        let report = try TokenizedText.make("Hi", with: tok, bos: false, chat: true)
        #expect(report.notes == ["note: \(tok.source) has no chat_template; ERNIE-4.5's chat format was used"])
        #expect(try TokenizedText.make("Hi", with: tok, bos: false, chat: false).notes.isEmpty)
    }

    @Test func errorsNameTheFileAndTheFix() throws {
        func message(_ arg: String) -> String {
            do { _ = try ModelLoader.tokenizer(arg); return "" } catch { return "\(error)" }
        }
        let missing = message("/nonexistent/ernie")
        #expect(missing.contains("/nonexistent/ernie") && missing.contains("HINT"))
        let json = message(ernieFolder.appendingPathComponent("tokenizer_config.json").path)
        #expect(json.contains("tokenizer_config.json is not a SentencePiece model") && json.contains("HINT"))
        let noModel = message(ernieFolder.deletingLastPathComponent().path)   // a folder without tokenizer.model
        #expect(noModel.contains("no tokenizer.model") && noModel.contains("HINT"))
    }
}
