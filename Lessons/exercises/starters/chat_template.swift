// Exercise chat_template (lesson 9): render ERNIE's chat template.
//
// Turn a chat into the text an instruct model reads. ERNIE-4.5's template: "<|begin_of_sentence|>" once, then
// each message in order — system: content + "\n"; user: "User: " + content + "\n";
// assistant: "Assistant: " + content + "<|end_of_sentence|>" — and finally "Assistant: " when
// addGenerationPrompt is true (the model is asked to reply). Roles are "system", "user", "assistant".
//
// Check your work with:   lmlab exercise check chat_template
// Stuck?                  lmlab exercise hint chat_template
// Leave this running:     lmlab exercise watch chat_template
import Foundation

func renderChat(_ messages: [(role: String, content: String)], addGenerationPrompt: Bool) -> String {
    // TODO: the opening token, each message in its role's format, and the reply prompt.
    return messages.map { $0.content }.joined(separator: "\n")
}
