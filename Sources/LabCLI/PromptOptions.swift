// PromptOptions — the prompt and the model that reads it, as `generate`, `sample` and `beam` all take them:
// a TEXT (tokenized, optionally after <s>) or --ids used as given. Each command holds it as an `@OptionGroup`;
// Lab's PromptSpec checks it and turns it into ids.
import ArgumentParser
import Lab

struct PromptOptions: ParsableArguments {
    @Argument(help: "The text to continue (omit with --ids).")
    var text: String?

    @OptionGroup var chosenModel: ModelName

    var model: String { chosenModel.name }

    @Option(name: .long, help: "Comma-separated prompt ids, used as given (no tokenizer needed).")
    var ids: String?

    @Flag(name: .long, help: "Put the tokenizer's <s> before the text.")
    var bos = false

    var spec: PromptSpec { PromptSpec(model: model, text: text, ids: ids, bos: bos) }

    func validate() throws { try usage { try spec.check() } }
}
