// The harness `lmlab exercise check chat_template` compiles with your file and harness/wire.swift.
labServe { t in
    let messages = (t.values[0] as? [[String]] ?? []).map { (role: $0[0], content: $0[1]) }
    return renderChat(messages, addGenerationPrompt: t.int(1) != 0)
}
