// Exercise chat_template (lesson 9): render ERNIE's chat template.
// 练习 chat_template（第 9 课）：渲染 ERNIE 的对话模板。
//
// Turn a chat into the text an instruct model reads. ERNIE-4.5's template:
// "<|begin_of_sentence|>" once, then each message in order —
//   system:    content + "\n"
//   user:      "User: " + content + "\n"
//   assistant: "Assistant: " + content + "<|end_of_sentence|>"
// — and finally "Assistant: " when addGenerationPrompt is true (the model
// is asked to reply). Roles are "system", "user", "assistant".
//
// 把一段对话变成指令模型读到的文本。ERNIE-4.5 的模板：开头一次
// "<|begin_of_sentence|>"，然后按顺序写出每条消息，格式随角色而定（见上面
// 三行）；addGenerationPrompt 为 true 时（要模型回复），最后再加
// "Assistant: "。角色只有 "system"、"user"、"assistant"。
//
// Check your work with / 检查：    lmlab exercise check chat_template
// Stuck? / 卡住了：                lmlab exercise hint chat_template
// Leave this running / 边改边查：  lmlab exercise watch chat_template
import Foundation

func renderChat(_ messages: [(role: String, content: String)], addGenerationPrompt: Bool) -> String {
    // TODO: the opening token, each message in its role's format, and the
    // reply prompt.
    // 待办：开头的词元，每条消息按其角色的格式，最后是生成提示词。
    return messages.map { $0.content }.joined(separator: "\n")
}
