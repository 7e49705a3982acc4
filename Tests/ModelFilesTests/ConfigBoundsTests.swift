// config.json as a hostile or careless author writes it (issue #17): syntax errors get a line and column, a
// fraction where a size goes names the key, a quoted token id says what both accepted forms are, every size key
// has an upper bound checked before anything is allocated, and implausible θ and ε are refused. Each case ends in
// a ConfigError naming the file, the key, what was found and the fix.

import Foundation
import Testing
@testable import ModelFiles

@Suite("config.json: bounds, whole numbers, syntax positions")
struct ConfigBoundsTests {
    func decode(_ json: String, file: String = "config.json") throws -> ERNIEConfig {
        try decodeJSONConfig(ERNIEConfig.self, from: Data(json.utf8), file: file)
    }

    /// The thrown ConfigError and its message (which must end in a HINT and name the file).
    func failure(_ json: String, file: String = "m/config.json") -> (ConfigError?, String) {
        do {
            let config = try decode(json, file: file)
            try config.validate(file: file)
            return (nil, "")
        } catch let e as ConfigError {
            let message = String(describing: e)
            #expect(message.contains(file) && message.contains("HINT"), "\(message)")
            return (e, message)
        } catch {
            Issue.record("not a ConfigError: \(error)")
            return (nil, "")
        }
    }

    func replacing(_ old: String, _ new: String) -> String {
        let json = ERNIEConfigTests.v4.replacingOccurrences(of: old, with: new)
        precondition(json != ERNIEConfigTests.v4, "\(old) is not in the fixture")
        return json
    }

    @Test("a syntax error names line and column")
    func syntaxPosition() {
        // A missing comma after "eos_token_id": 2 on line 3 of the fixture: the parser stops at the next key.
        let json = replacing("\"eos_token_id\": 2,", "\"eos_token_id\": 2")
        let (error, message) = failure(json)
        print(message)
        guard case .syntaxError(_, let line, let column, let problem) = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))"); return
        }
        let lines = json.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLine = lines.firstIndex { $0.contains("\"eos_token_id\": 2 \"head_dim\"") }! + 1
        #expect(line == expectedLine)
        let text = String(lines[line - 1])
        let at = text.index(text.startIndex, offsetBy: column - 1)
        #expect(text[at...].hasPrefix("\"head_dim\""), "column \(column) points at the unexpected key")
        #expect(problem.contains("expected ',' or '}'"))
        #expect(message.contains("line \(line), column \(column)"))

        // Truncated text: the position is the end of the file.
        let (truncated, _) = failure("{\n  \"hidden_size\": 1024,\n  \"num_")
        guard case .syntaxError(_, let l, let c, _) = truncated else { Issue.record("\(String(describing: truncated))"); return }
        #expect(l == 3 && c == 8, "just after `  \"num_`")
    }

    @Test("a fraction where a size goes names the key and asks for a whole number; 192.0 is 192")
    func wholeNumbers() throws {
        let (error, message) = failure(replacing("\"hidden_size\": 1024", "\"hidden_size\": 192.5"))
        print(message)
        guard case .invalidValue(_, let key, let problem, let fix) = error else { Issue.record("\(message)"); return }
        #expect(key == "hidden_size" && problem.contains("192.5") && fix.contains("must be a whole number"))

        let (huge, hugeMessage) = failure(replacing("\"num_hidden_layers\": 18", "\"num_hidden_layers\": 1e30"))
        guard case .invalidValue(_, "num_hidden_layers", _, _) = huge else { Issue.record("\(hugeMessage)"); return }

        #expect(try decode(replacing("\"hidden_size\": 1024", "\"hidden_size\": 1024.0")).hiddenSize == 1024)

        let (quoted, quotedMessage) = failure(replacing("\"intermediate_size\": 3072", "\"intermediate_size\": \"3072\""))
        #expect(quoted == .wrongType(file: "m/config.json", key: "intermediate_size", expected: "an integer",
                                     found: "the string \"3072\""))
        #expect(quotedMessage.contains("remove the quotes"))

        // The hint to unquote is given only when the unquoted text is what the key wants.
        func tokenizerConfigError(_ json: String) -> String {
            do { _ = try decodeJSONConfig(TokenizerConfig.self, from: Data(json.utf8), file: "t.json"); return "" }
            catch { return String(describing: error) }
        }
        #expect(tokenizerConfigError(#"{"add_bos_token": "true"}"#).contains("remove the quotes: write true"))
        #expect(!tokenizerConfigError(#"{"add_bos_token": "2"}"#).contains("remove the quotes"))
    }

    @Test("eos_token_id: a number or an array of numbers, and the message says both")
    func eosForms() throws {
        let (error, message) = failure(replacing("\"eos_token_id\": 2", "\"eos_token_id\": \"2\""))
        print(message)
        #expect(error == .wrongType(file: "m/config.json", key: "eos_token_id",
                                    expected: "a token id (a whole number) or an array of token ids",
                                    found: "the string \"2\""))
        #expect(message.contains("remove the quotes: write 2"))
        let (fraction, _) = failure(replacing("\"eos_token_id\": 2", "\"eos_token_id\": 2.5"))
        guard case .invalidValue(_, "eos_token_id", _, _) = fraction else { Issue.record("\(String(describing: fraction))"); return }
        #expect(try decode(replacing("\"eos_token_id\": 2", "\"eos_token_id\": [2, 7]")).eosTokenIds == [2, 7])

        // generation_config.json reads eos_token_id the same way.
        let generation = #expect(throws: ConfigError.self) {
            try decodeJSONConfig(GenerationConfig.self, from: Data(#"{"eos_token_id": {"id": 2}}"#.utf8),
                                 file: "generation_config.json")
        }
        #expect(generation == .wrongType(file: "generation_config.json", key: "eos_token_id",
                                         expected: "a token id (a whole number) or an array of token ids",
                                         found: "an object"))
    }

    @Test("every size key has an upper bound, checked before anything is allocated")
    func upperBounds() {
        for (key, limit) in ERNIEConfig.maximumSizes.sorted(by: { $0.key < $1.key }) {
            // head_dim must stay even and divide nothing; kv heads must divide heads: use values that only break the bound.
            let value = key == "num_key_value_heads" ? limit * 2 : limit + (key == "head_dim" ? 2 : 1)
            var json = ERNIEConfigTests.v4
            if key == "num_key_value_heads" {      // above the bound but dividing a legal H would need H > bound too
                json = json.replacingOccurrences(of: "\"num_attention_heads\": 16", with: "\"num_attention_heads\": \(value)")
            }
            json = json.replacingOccurrences(of: #""\#(key)": [0-9]+"#, with: "\"\(key)\": \(value)", options: .regularExpression)
            let (error, message) = failure(json)
            guard case .invalidValue(_, let found, let problem, _) = error else { Issue.record("\(key): \(message)"); continue }
            #expect(["num_attention_heads", key].contains(found), "\(key): \(message)")
            #expect(problem.contains("above the largest supported value"), "\(key): \(message)")
        }
        // The wrapped product of the issue: H·Dh beyond 2⁶³ is refused by the bound on the factors, never wrapped.
        let (error, message) = failure(replacing("\"num_attention_heads\": 16", "\"num_attention_heads\": 4611686018427387904"))
        print(message)
        guard case .invalidValue(_, "num_attention_heads", let problem, _) = error else { Issue.record("\(message)"); return }
        #expect(problem.contains("4611686018427387904") && problem.contains("1024"))
        #expect(message.range(of: " -[0-9]", options: .regularExpression) == nil, "no negative (wrapped) number appears")
    }

    @Test("implausible rope_theta and rms_norm_eps, and more KV heads than heads, are refused")
    func implausibleValues() {
        for theta in ["1e-300", "0.5", "1", "0", "-500000", "1e300"] {
            let (error, message) = failure(replacing("\"rope_theta\": 500000.0", "\"rope_theta\": \(theta)"))
            guard case .invalidValue(_, "rope_theta", _, _) = error else { Issue.record("θ \(theta): \(message)"); continue }
        }
        for eps in ["0", "-1e-05", "1e-300", "0.5"] {
            let (error, message) = failure(replacing("\"rms_norm_eps\": 1e-05", "\"rms_norm_eps\": \(eps)"))
            guard case .invalidValue(_, "rms_norm_eps", _, _) = error else { Issue.record("ε \(eps): \(message)"); continue }
        }
        let (error, message) = failure(replacing("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 32"))
        guard case .invalidValue(_, "num_key_value_heads", _, _) = error else { Issue.record("\(message)"); return }
        #expect(message.contains("more than num_attention_heads"))
    }
}
