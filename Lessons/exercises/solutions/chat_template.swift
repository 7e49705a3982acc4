// A reference solution of chat_template. The lab's own: Tokenizers'
// ErnieChatTemplate (Sources/Tokenizers/ChatTemplate.swift).
// chat_template 的参考答案。实验室自己的实现：Tokenizers 的
// ErnieChatTemplate（Sources/Tokenizers/ChatTemplate.swift）。
import Foundation

func renderChat(_ messages: [(role: String, content: String)], addGenerationPrompt: Bool) -> String {
    var text = "<|begin_of_sentence|>"
    for m in messages {
        switch m.role {
        case "user": text += "User: " + m.content + "\n"
        case "assistant": text += "Assistant: " + m.content + "<|end_of_sentence|>"
        case "system": text += m.content + "\n"
        default: break
        }
    }
    if addGenerationPrompt { text += "Assistant: " }
    return text
}
