// The Chinese --help of decoding and models: generate, sample, beam, prob, check, serve, attention, download,
// inspect, layer, lens, load, models, moe, probe, tokenize (see CommandHelpChinese.swift).

extension CommandHelpChinese {
    /// Discussions in Chinese, by command path.
    static let decodingDiscussions: [String: String] = [
        "tokenize": """
        --model 可以是一个模型文件夹（含 tokenizer.model 及其 json 文件）、单独的 tokenizer.model 文件，\
        或 lmlab 能找到的模型名（例如 ernie-4.5-0.3b）。以 "-" 开头的文本要放在 "--" 之后。

        --json 打印 {"ids": [...], "pieces": [...], "decoded": "..."}。

        示例：
        """,
        "models": """
        Hub 上的模型，实验室到 Models/<name>/ 和 Hugging Face 缓存（$HF_HUB_CACHE、$HF_HOME/hub、\
        ~/.cache/huggingface/hub）里去找，找法与 --model NAME 完全相同。

        --json 打印 [{name, kind, repo_id, found_in, path, size_on_disk, dtype, ready, missing, note}]。

        示例：
        """,
        "load": """
        在 REPL（`lmlab repl`）和课程单元里可用，那里的会话会一直持续；单独运行一次 `lmlab load`，名字会随进程\
        一起消失，所以这时它只告诉你这一点。不带参数时，它列出本次会话里已有的名字。只有 ERNIE 格式的模型能起名字\
        （tiny-ernie、tiny-ernie-instruct、ERNIE-4.5 文件夹）。

        示例：
        """,
        "download": """
        NAME 是 Models/catalog.json 里的短名（`lmlab models` 会列出它们），或 Hub 上任意一个 ORG/REPO。\
        文件存放在 huggingface_hub 存放的位置（$HF_HUB_CACHE，否则 $HF_HOME/hub，再否则 ~/.cache/huggingface/hub），\
        所以 transformers 和 huggingface-cli 也能用到它们。下载中断后会从停下的地方继续；\
        大文件会与 Hub 给出的 SHA-256 核对。

        连不上 huggingface.co 时，`--source modelscope` 从 ModelScope（modelscope.cn，百度在那里以 PaddlePaddle/… 的\
        名字发布 ERNIE 4.5；模型目录里有对应的名字）把同样的文件下载到同一个缓存文件夹；也可以用 HF_ENDPOINT 指定一\
        个 Hugging Face 镜像。

        环境变量：HF_ENDPOINT（Hub 的镜像）、HF_TOKEN（用于受限或私有的仓库）、MODELSCOPE_DOMAIN（另一个 ModelScope \
        主机）。

        示例：
        """,
        "prob": """
        送进模型的第一个词元只充当上文。用 --bos（普通文本的默认设置）时 <s> 排在最前，文本的每个词元都得到打分；\
        用 --no-bos 时，文本的第一个词元无法打分，列出时不带概率。--chat 把文本按 ERNIE 的对话模板包成一个用户回合（不\
        加 <s>，模板本身以 <|begin_of_sentence|> 开头）。--ids 把给出的 id 原样打分：第一个之后的每个 id 都得到分数。

        示例：
        """,
        "inspect": """
        只读取 config.json 和 safetensors 的文件头（不加载权重），所以即使是 0.3B 模型也能立刻完成。

        示例：
        """,
        "lens": """
        每一格是在该层之后从残差流读出的首选预测及其概率。最后一行是模型真正的输出。表头一行给出每个位置上的词元，\
        它下面一行是实际跟在后面的词元；✓ 标出首选预测恰好是这个词元的层。

        --json 打印 {tokens, pieces, top[layer][position], next_logprob[layer][position]}。

        示例：
        """,
        "layer rope": """
        分数只通过偏移 m − n 依赖于 m 和 n：同一个偏移放在别的绝对位置上，q·k 不变；换一个偏移（或正负相反），\
        q·k 就不同。

        示例：
        """,
        "layer rmsnorm": """
        示例：
        """,
        "layer swiglu": """
        示例：
        """,
        "moe route": """
        路由器为每个词元给每个专家打分（softmax 得到 p），加上修正偏置 b 来选出前 k 个，再用被选中专家自己的 p（重新\
        归一化）混合它们的输出。标有“偏置：”的词元，没有 b 时会去别的专家；负载一行统计每个专家收到的词元数。

        --json 打印 {tokens, pieces, layers: [{layer, chosen, weights, unbiased, load}]}。

        示例：
        """,
        "attention": """
        示例：
        """,
        "attention map": """
        第 i 行是查询词元 i，第 j 列是键词元 j：一格表示词元 i 从词元 j 的值里取用了多少。对角线以上被掩码遮住（·）：\
        解码器不能看后面的词元。--explore 全屏打开热力图，在同一次前向计算里用 ↑/↓ 切换层，←/→ 切换头。

        示例：
        """,
        "check greedy": """
        服务器必须使用与 --model 相同的权重和分词器（例如 llama.cpp 的服务器加载这个文件夹导出的 GGUF：\
        scripts/llamacpp_check.sh）。提示词以文本形式发送。--bos 让两边的每个提示词都以 <s> 开头：\
        实验室在本地把 BOS id 放在最前，向服务器发送字面文本 <s>（服务器会识别文本中的特殊词元；\
        ERNIE 的文件写的是 add_bos_token false）；如果服务器自己会在前面加 BOS（add_bos_token 为 true 的 GGUF），\
        再加上 --server-adds-bos，这样就不发送 <s>。请求里指定 temperature 0 和 repeat_penalty 1（llama.cpp 的服务器默\
        认使用 1.1，即使温度为 0 也一样）。

        示例：
        """,
        "serve": """
        端点：GET /v1/models、POST /v1/completions（提示词可以是文本或词元 id；支持 echo，返回提示词的对数概率，\
        以及 logprobs、stream、n、stop、seed、return_tokens_as_token_ids）和 POST /v1/chat/completions（ERNIE 的对话\
        模板）。温度 0 与实验室的贪心解码器完全一致。请求排队，一次处理一个。打印的第一行是 URL。\
        默认只监听本机回环地址，--host 可以另行指定。

        示例：
        """,
        "generate": """
        采样时，logits 处理器按 transformers 的顺序依次作用：温度 → top-k → top-p → min-p。词元用带种子的 \
        xoshiro256** 随机数生成器抽取，所以同一个种子在任何机器上都能复现同一次运行。束搜索遵循 transformers 的 generate(num_beams=…)：\
        --length-penalty α 按 log P / length^α 给已完成的序列排序；--early-stopping 在 --beams 个序列完成后立即停止，\
        --never-stop-early 相当于 early_stopping="never"。除非加 --bos，文本分词时前面不加 <s>。用 --chat 时，\
        回答到回合结束词元为止。

        示例：
        """,
        "sample": """
        不加 --show-dist 时，它就是 `lmlab generate --strategy sample`。加 --show-dist 时，它只看一步：\
        模型给出的下一个词元分布（原始），经过 logits 处理器之后的分布（从中抽取词元），两者各自的熵，还剩下多少个词元，\
        以及一次带种子的抽取。

        示例：
        """,
        "beam": """
        这里的束搜索就是 `lmlab generate --strategy beam`（语义与 transformers 相同）。加 --tree 时，\
        每个参与排名的候选都是一个节点：● 保留为进行中的束，✗ 被剪掉，◆ 已完成，○ 已完成但不够好。\
        每个节点显示它的词元、这一步的 log P、Σ log P 和按长度归一化的得分。--format dot 输出 Graphviz（`| dot \
        -Tpng`），--format json 把树输出为数据。

        示例：
        """,
        "probe": """
        报告服务器是否应答、它运行的模型、`echo: true` 是否返回提示词的对数概率、它接受的最大 `logprobs` N、\
        词元是否带 id，以及对数概率看上去是原始的（logits 的 log softmax）还是处理过的（经过温度、top-k…之后）；\
        从回答中判断不出时为 "unknown"。

        示例：
        """,
    ]
}
