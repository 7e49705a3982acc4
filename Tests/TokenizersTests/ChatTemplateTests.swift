// ErnieChatTemplate: hand-checked renderings of ERNIE45.md §7, recognition of the template whatever its
// whitespace, and a clear refusal for any other template.
import Foundation
import Testing
@testable import Tokenizers

@Suite struct ChatTemplateTests {
    let chat = [ChatMessage(.system, "You are a helpful chatbot."), ChatMessage(.user, "Hello!")]

    @Test func rendersErnieFormat() throws {
        let t = try ErnieChatTemplate(template: ErnieChatTemplate.known, clsToken: nil, sepToken: nil)
        #expect(t.source == .config)
        #expect(t.render(chat, addGenerationPrompt: false)
                == "<|begin_of_sentence|>You are a helpful chatbot.\nUser: Hello!\n")
        #expect(t.render(chat) == "<|begin_of_sentence|>You are a helpful chatbot.\nUser: Hello!\nAssistant: ")
        let turn = chat + [ChatMessage(.assistant, "Nice to meet you."), ChatMessage(.user, "Bye")]
        #expect(t.render(turn, addGenerationPrompt: false) == "<|begin_of_sentence|>You are a helpful chatbot.\n"
                + "User: Hello!\nAssistant: Nice to meet you.<|end_of_sentence|>User: Bye\n")
        #expect(t.render([]) == "<|begin_of_sentence|>Assistant: ")
    }

    @Test func usesTheTokenizersClsAndSep() throws {
        let t = try ErnieChatTemplate(template: nil, clsToken: "[CLS]", sepToken: "[SEP]")
        #expect(t.source == .defaulted)
        #expect(t.render([ChatMessage(.assistant, "ok")], addGenerationPrompt: false) == "[CLS]Assistant: ok[SEP]")
    }

    /// The fixture folder's template is laid out on indented lines (as a JSON file would carry it): still recognised.
    @Test func recognisesTheTemplateWhateverItsLayout() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/ernie/tokenizer_config.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let template = try #require(json["chat_template"] as? String)
        #expect(template != ErnieChatTemplate.known)
        #expect(try ErnieChatTemplate(template: template, clsToken: nil, sepToken: nil).source == .config)
        // 'x' and "x" are the same Jinja literal.
        let singleQuoted = ErnieChatTemplate.known.replacingOccurrences(of: "\"User: \"", with: "'User: '")
        #expect(try ErnieChatTemplate(template: singleQuoted, clsToken: nil, sepToken: nil).source == .config)
    }

    @Test func refusesAnotherTemplate() {
        let changed = ErnieChatTemplate.known.replacingOccurrences(of: "\"User: \"", with: "\"Human: \"")
        do {
            _ = try ErnieChatTemplate(template: changed, clsToken: nil, sepToken: nil, file: "/m/tokenizer_config.json")
            Issue.record("a different template was accepted")
        } catch {
            let message = "\(error)"
            #expect(message.contains("/m/tokenizer_config.json"))
            #expect(message.contains("Human"))
            #expect(message.contains("HINT"))
        }
        let llama = "{% for message in messages %}{{ '<|im_start|>' + message['role'] }}{% endfor %}"
        #expect(throws: ErnieChatTemplate.TemplateError.self) {
            try ErnieChatTemplate(template: llama, clsToken: nil, sepToken: nil)
        }
    }
}
