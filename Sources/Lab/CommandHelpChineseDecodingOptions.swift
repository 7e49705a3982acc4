// The Chinese help lines of the options and arguments of decoding and models (see CommandHelpChinese.swift and
// CommandHelpChineseDecoding.swift).

extension CommandHelpChinese {
    /// Option and argument help in Chinese, by the English text as declared.
    static let decodingOptions: [String: String] = [
        "The text to tokenize.": "要分词的文本。",
        "A model folder, a tokenizer.model file, or a model name.": "模型文件夹、tokenizer.model 文件或模型名。",
        "Put the BOS token first (the folder's add_bos_token decides otherwise).":
            "把 BOS 词元放在最前（不加此项时由文件夹的 add_bos_token 决定）。",
        "Put the text in the chat template as a user message.": "把文本作为用户消息放进对话模板。",
        "The name to use (letters, digits, - and _).": "要用的名字（字母、数字、- 和 _）。",
        "A model folder or a model name (see `lmlab models`).": "模型文件夹或模型名（见 `lmlab models`）。",
        "Remove NAME from the session.": "从会话中去掉 NAME。",
        "A catalog name (ernie-4.5-0.3b) or a Hub repository (baidu/ERNIE-4.5-0.3B-PT).":
            "模型目录里的名字（ernie-4.5-0.3b）或 Hub 上的仓库（baidu/ERNIE-4.5-0.3B-PT）。",
        "Branch, tag or commit to download (default: the catalog's, else main).":
            "要下载的分支、标签或提交（默认：模型目录指定的，否则 main）。",
        "Hub address, e.g. a mirror (default: $HF_ENDPOINT, else https://huggingface.co).":
            "Hub 的地址，例如一个镜像（默认：$HF_ENDPOINT，否则 https://huggingface.co）。",
        "Where from: huggingface (default) or modelscope.": "从哪里下载：huggingface（默认）或 modelscope。",
        "The text to score (omit with --ids).": "要打分的文本（用 --ids 时省略）。",
        "A second model to score the same tokens, side by side.": "第二个模型，给同样的词元打分，并排显示。",
        "Weights of --compare (default: --precision); the same choices.":
            "--compare 模型的权重精度，默认与 --precision 相同。",
        "Put <s> first so the text's first token is scored (default: on, off with --chat).":
            "把 <s> 放在最前，让文本的第一个词元也得到打分（默认开启；用 --chat 时关闭）。",
        "Comma-separated token ids to score as given (no tokenizer needed).":
            "逗号分隔的词元 id，原样打分（不需要分词器）。",
        """
        An OpenAI-compatible server: generate/prob/beam/sample run over it instead of the local weights (--model \
        then gives only the tokenizer); check compares with it (docs/SERVING.md).
        """:
            """
            一个 OpenAI 兼容的服务器：generate/prob/beam/sample 改在它上面运行，不用本地权重（这时 --model 只提供分\
            词器）；check 与它比较（docs/SERVING.md）。
            """,
        "With --api: log-probs asked for per step (1…1000, default 20; the server may cap it).":
            "配合 --api：每一步向服务器要多少个候选的对数概率（1…1000，默认 20；服务器可能会限制）。",
        "With --api: sent as `Authorization: Bearer KEY`.": "配合 --api：以 `Authorization: Bearer KEY` 发送。",
        "Open the ledger full screen (scroll with ↑/↓).": "全屏打开账本（用 ↑/↓ 滚动）。",
        "The text (scored after <s>).": "文本（在 <s> 之后打分）。",
        "Show the last N positions (1…1000, default 6).": "显示最后 N 个位置（1…1000，默认 6）。",
        "With --json: candidates per cell (1…100, default 3).": "配合 --json：每格的候选数（1…100，默认 3）。",
        "Open the lens full screen: ↑/↓ layer, ←/→ position, the selected cell's top 5 as bars.":
            "全屏打开 logit lens：↑/↓ 选层，←/→ 选位置，所选格最好的 5 个候选画成条形。",
        "The query head vector (an even number of entries, at most 64).":
            "一个查询头的向量（偶数个分量，最多 64 个）。",
        "The key head vector (as many entries as --q).": "一个键头的向量（分量个数与 --q 相同）。",
        "Query:key position pairs m:n, separated by commas (at most 16; positions 0…1000000).":
            "查询与键的位置对 m:n，用逗号分隔（最多 16 对；位置 0…1000000）。",
        "RoPE's base θ (1…1e12; ERNIE-4.5 uses 500000).": "RoPE 的基数 θ（1…1e12；ERNIE-4.5 用 500000）。",
        "The vector x (at most 64 numbers).": "向量 x（最多 64 个数）。",
        "The gain g, one per entry of x (default: none shown).":
            "增益 g，x 的每一维一个（默认：不给，也不显示这一步）。",
        "ε (1e-12…0.1; ERNIE-4.5 uses 1e-5).": "ε（1e-12…0.1；ERNIE-4.5 用 1e-5）。",
        "The gate pre-activations z = x W_gate, one per hidden unit (at most 64).":
            "门在激活之前的值 z = x W_gate，每个隐藏单元一个（最多 64 个）。",
        "The up projection u = x W_up, one per hidden unit (default: all 1).":
            "上投影 u = x W_up，每个隐藏单元一个（默认全为 1）。",
        "The text (routed after <s>).": "文本（接在 <s> 之后，逐个词元路由）。",
        "An ernie4_5_moe model folder or a model name (see `lmlab models`).":
            "ernie4_5_moe 模型文件夹或模型名（见 `lmlab models`）。",
        "Show this layer only (its index, 0-based).": "只显示这一层（层号，从 0 开始）。",
        "Explore full screen: ↑/↓ layer, ←/→ token, ? keys, q back.":
            "全屏探索：↑/↓ 选层，←/→ 选词元，? 看按键，q 返回。",
        "Tokens T (1…8, default 3).": "词元数 T（1…8，默认 3）。",
        "Width D of Q, K, V (1…16, default 4).": "Q、K、V 的宽度 D（1…16，默认 4）。",
        "Seed of the example's numbers.": "生成例子中数字的随机种子。",
        "Let every token see every token (an encoder).": "让每个词元都能看到所有词元（编码器）。",
        "Query heads H (1…8, default 4).": "查询头数 H（1…8，默认 4）。",
        "Key/value heads (H = MHA, 1 = MQA, between = GQA; divides H; default 2).":
            "键/值头数（等于 H 为 MHA，1 为 MQA，介于两者之间为 GQA；须整除 H；默认 2）。",
        "Tokens T (1…6, default 3).": "词元数 T（1…6，默认 3）。",
        "Size of one head (1…4, default 2).": "每个头的维度（1…4，默认 2）。",
        "The text (after <s>).": "文本（接在 <s> 之后）。",
        "Layer (0-based, below the model's layer count; default 0).": "层号（从 0 开始，小于模型的层数；默认 0）。",
        "Query head (0-based, below the model's head count; default 0).":
            "查询头的编号（从 0 开始，小于模型的头数；默认 0）。",
        "Open the heatmap full screen: ↑/↓ layer, ←/→ head.": "全屏打开热力图：↑/↓ 选层，←/→ 选头。",
        "The local model (a folder or a name).": "本地模型（文件夹或模型名）。",
        "A prompt (repeat for several; default: three story prompts).":
            "一个提示词（可重复给出多个；默认：三个故事提示词）。",
        "Tokens to compare per prompt (1…4096, default 16).": "每个提示词比较的词元数（1…4096，默认 16）。",
        "Start each prompt with <s>: the BOS id locally, the literal text <s> to the server.":
            "每个提示词以 <s> 开头：本地用 BOS id，发给服务器的是字面文本 <s>。",
        "With --bos: the server adds BOS itself, so send the prompt alone.":
            "配合 --bos：服务器自己会加 BOS，所以只发送提示词本身。",
        "Seconds to wait for each answer (default 60; at most 3600).": "每个回答最多等待的秒数（默认 60；最多 3600）。",
        "The model to serve (a folder or a name).": "要提供服务的模型（文件夹或模型名）。",
        "The IPv4 address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).":
            "监听的 IPv4 地址（127.0.0.1：只限本机；0.0.0.0：所有网络接口）。",
        "The port (0 picks a free one).": "端口（0 表示自动选一个空闲端口）。",
        "Require `Authorization: Bearer KEY` on every request.": "要求每个请求都带 `Authorization: Bearer KEY`。",
        "The text to continue (omit with --ids).": "要续写的文本（用 --ids 时省略）。",
        "Comma-separated prompt ids, used as given (no tokenizer needed).":
            "提示词的词元 id，用逗号分隔，原样使用（不需要分词器）。",
        "Put the tokenizer's <s> before the text.": "在文本前加上分词器的 <s>。",
        "greedy, beam or sample.": "解码策略：贪心、束搜索或采样。",
        """
        At most this many new tokens (default 32; 1…131072, and the prompt plus them within the model's context; an \
        end token stops earlier).
        """:
            """
            最多生成这么多个新词元（默认 32；1…131072，且提示词加上它们不超过模型的上下文长度；遇到结束词元会提前停止）。
            """,
        "Number of beams (default 4; 1…64).": "束数（默认 4；1…64）。",
        "How many finished sequences to show (default 1; ≤ beams).": "显示多少个已完成的序列（默认 1；≤ 束数）。",
        "α in log P / length^α (default 1).": "log P / length^α 中的 α（默认 1）。",
        "Stop as soon as --beams sequences have finished.": "一旦有 --beams 个序列完成就停止。",
        "early_stopping=\"never\" (with α > 0 assume beams may grow to the limit).":
            "即 early_stopping=\"never\"（α > 0 时，假定束还可能一直长到长度上限）。",
        "Divide the scores by T (0.0001 or more).": "温度 T：把分数除以 T（不小于 0.0001）。",
        "Keep the K most likely tokens (1…1000000).": "只保留最可能的 K 个词元（1…1000000）。",
        "Keep the smallest set of tokens with probability ≥ P (0 < P ≤ 1).":
            "保留概率之和 ≥ P 的最小词元集合（0 < P ≤ 1）。",
        "Keep tokens at least P × the most likely one's probability (0…1).":
            "保留概率至少为“最可能词元的概率 × P”的词元（0…1）。",
        "The random seed, a whole number ≥ 0 (default 0).": "随机种子，不小于 0 的整数（默认 0）。",
        "Open the sampling explorer full screen: ←/→ temperature, ↑/↓ top-p, k/K top-k, m/M min-p, Enter samples, g greedy, r draws many.":
            "全屏打开采样探索器：←/→ 调温度，↑/↓ 调 top-p，k/K 调 top-k，m/M 调 min-p，Enter 抽一个词元，g 贪心，r 抽很多次。",
        "Show the next-token distribution raw vs processed instead of generating.":
            "不生成，而是显示下一个词元的分布：原始的与处理后的对照。",
        "With --show-dist: how many of the most likely tokens to list (default 10; 1…1000).":
            "配合 --show-dist：列出多少个最可能的词元（默认 10；1…1000）。",
        "At most this many new tokens, one per step (default 6; 1…131072, within the model's context).":
            "最多生成这么多个新词元，每步一个（默认 6；1…131072，不超过模型的上下文长度）。",
        "The same as --steps, as `generate` names it.": "与 --steps 相同，这是 `generate` 用的名字。",
        "Open the beam explorer full screen: space steps, a autoplays, +/- beams, l/L length penalty.":
            "全屏打开束搜索探索器：空格走一步，a 自动播放，+/- 改束数，l/L 调长度惩罚。",
        "Draw the search tree.": "画出搜索树。",
        "With --tree: text (Unicode lines), dot (Graphviz) or json.":
            "配合 --tree：text（Unicode 线条）、dot（Graphviz）或 json。",
        "The server root, e.g. http://127.0.0.1:8000.": "服务器的根地址，例如 http://127.0.0.1:8000。",
        "Seconds to wait for each answer (default 30; at most 3600).": "每个回答最多等待的秒数（默认 30；最多 3600）。",
        "The prompt to probe with.": "用来探测的提示词。",
    ]
}
