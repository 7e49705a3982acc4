// ChatTemplate — ERNIE-4.5's chat template, implemented in Swift (lesson 9: how a chat becomes one string of tokens).
//
// A chat model never sees "messages": it sees one text in which the turns are marked. ERNIE-4.5 marks them so
// (tokenizer_config.json "chat_template", shared/ERNIE45.md §7):
//
//   <|begin_of_sentence|>You are a helpful chatbot.\n        ← cls token, then system messages: content + "\n"
//   User: Hello!\n                                           ← user turns: "User: " + content + "\n"
//   Assistant: Nice to meet you.<|end_of_sentence|>          ← assistant turns: "Assistant: " + content + sep token
//   Assistant:␠                                              ← generation prompt: the model writes the next turn
//
// The template in the file is Jinja. This is not a Jinja engine: it implements this one template's semantics and
// checks that the file carries exactly this template (whitespace between Jinja tags does not count, since every tag
// trims it with "-"). A folder with a different template is reported, never rendered with the wrong rules.

/// Who speaks in a chat turn. ERNIE's template knows these three roles only.
public enum ChatRole: String, Sendable, CaseIterable {
    case system, user, assistant
}

/// One turn of a chat.
public struct ChatMessage: Equatable, Sendable {
    public var role: ChatRole
    public var content: String
    public init(_ role: ChatRole, _ content: String) { self.role = role; self.content = content }
}

/// ERNIE-4.5's chat template with the tokenizer's cls/sep tokens.
public struct ErnieChatTemplate: Sendable, Equatable {
    /// The template as published in ERNIE-4.5's tokenizer_config.json (and transformers' DEFAULT_CHAT_TEMPLATE).
    public static let known = """
        {%- if not add_generation_prompt is defined -%}{%- set add_generation_prompt = true -%}{%- endif -%}
        {%- if not cls_token is defined -%}{%- set cls_token = "<|begin_of_sentence|>" -%}{%- endif -%}
        {%- if not sep_token is defined -%}{%- set sep_token = "<|end_of_sentence|>" -%}{%- endif -%}
        {{- cls_token -}}
        {%- for message in messages -%}
          {%- if message["role"] == "user" -%}{{- "User: " + message["content"] + "\\n" -}}
          {%- elif message["role"] == "assistant" -%}{{- "Assistant: " + message["content"] + sep_token -}}
          {%- elif message["role"] == "system" -%}{{- message["content"] + "\\n" -}}
          {%- endif -%}
        {%- endfor -%}
        {%- if add_generation_prompt -%}{{- "Assistant: " -}}{%- endif -%}
        """

    /// Where the template came from.
    public enum Source: Equatable, Sendable {
        /// tokenizer_config.json carries the known template.
        case config
        /// The file has no chat_template; transformers falls back to the same template for ERNIE.
        case defaulted
    }

    public enum TemplateError: Error, Equatable, CustomStringConvertible {
        /// The folder's template is not ERNIE-4.5's; `firstDifference` quotes where it departs.
        case unknownTemplate(file: String, firstDifference: String)

        public var description: String {
            switch self {
            case let .unknownTemplate(file, diff):
                return "\(file): \"chat_template\" is not ERNIE-4.5's template (it differs at: \(diff)). LMLab renders only "
                    + "ERNIE-4.5's chat format and will not guess another one. HINT: use the model's original "
                    + "tokenizer_config.json, or format the prompt yourself and tokenize it without --chat."
            }
        }
    }

    /// Text that opens the conversation (`cls_token`), e.g. <|begin_of_sentence|>.
    public var clsToken: String
    /// Text that closes an assistant turn (`sep_token`), e.g. <|end_of_sentence|>.
    public var sepToken: String
    public var source: Source

    /// Checks `template` (tokenizer_config.json's chat_template; nil when absent) against the known one.
    /// - Throws: `TemplateError.unknownTemplate` naming `file` when the folder carries a different template.
    public init(template: String?, clsToken: String?, sepToken: String?, file: String = "tokenizer_config.json") throws {
        self.clsToken = clsToken ?? "<|begin_of_sentence|>"
        self.sepToken = sepToken ?? "<|end_of_sentence|>"
        guard let template else { source = .defaulted; return }
        let given = Self.canonical(template), known = Self.canonical(Self.known)
        guard given == known else {
            let common = zip(given, known).prefix { $0 == $1 }.count
            let snippet = String(given.dropFirst(max(0, common - 20)).prefix(60))
            throw TemplateError.unknownTemplate(file: file, firstDifference: "…" + snippet + "…")
        }
        source = .config
    }

    /// The prompt text for `messages`. With `addGenerationPrompt` (the template's own default, and what a chat needs)
    /// it ends in "Assistant: " so the model continues with the assistant's answer.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> String {
        var out = clsToken
        for m in messages {
            switch m.role {
            case .user: out += "User: " + m.content + "\n"
            case .assistant: out += "Assistant: " + m.content + sepToken
            case .system: out += m.content + "\n"
            }
        }
        if addGenerationPrompt { out += "Assistant: " }
        return out
    }

    /// The template with all whitespace outside string literals removed: "{%- if x -%}" and "{%-if x-%}" are the same
    /// template, since every tag trims the whitespace around it.
    static func canonical(_ template: String) -> String {
        var out = ""
        var quote: Character? = nil
        var escaped = false
        for c in template {
            if let q = quote {
                if escaped { escaped = false; out.append(c) }
                else if c == "\\" { escaped = true; out.append(c) }
                else if c == q { quote = nil; out.append("\"") }     // 'x' and "x" are the same literal
                else { out.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
                out.append("\"")
            } else if !c.isWhitespace {
                out.append(c)
            }
        }
        return out
    }
}
