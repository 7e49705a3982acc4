// The Chinese --help of training, post-training and benchmarks: train, rl, dpo-reward, bench (see
// CommandHelpChinese.swift).

extension CommandHelpChinese {
    /// Discussions in Chinese, by command path.
    static let trainingDiscussions: [String: String] = [
        "bench kernels": """
        报告流式读取带宽（对 1 GiB 求和）、按 ERNIE-4.5-0.3B 的形状 3072×1024 和 103424×1024 做的 bf16 矩阵\
        向量乘（GB/s，以及它占流式带宽的比例），和 512×1024×3072 的 f32 矩阵乘（GFLOP/s）。每次重复把每个\
        内核各运行一次；每个数字都是 --repetitions 次重复的中位数（比例在每次重复之内计算）。数字取决于机器\
        同时还在做什么，所以旁边会打印系统的平均负载。

        --json 的键：stream_read_gbps, bf16_matvec_gbps, matmul_gflops, …

        示例：
        """,

        "bench tokenize": """
        用 --model 把 --text 的每一行编码一遍，共做 --repeats 遍，报告最快一遍的速度（MB/s），以及词元数和\
        所有 id 的 FNV-1a 摘要（scripts/bench_spm.py 为 sentencepiece 库算的是同一种摘要，所以摘要相同就\
        说明 id 完全一致）。

        --json 的键：bytes, lines, tokens, seconds, mb_per_s, cpu_seconds, mb_per_cpu_s, digest, load_ms, build。

        示例：
        """,

        "bench decode": """
        加载模型（内存映射），用带种子的随机词元 id 组成一段 --prompt-tokens 个词元的提示词并预填充，然后逐个\
        词元解码 --tokens 步，每步把最可能的词元送回模型。报告解码的每秒词元数、每词元毫秒数的中位数、\
        权重带宽（每个词元读取的权重矩阵字节数 × 每秒词元数）、从开始加载模型到得到第一组 logits 的时间\
        （含 --precision 的转换），以及峰值 RSS（常驻内存）。线程数：--threads、LMLAB_THREADS，或者全部\
        核心；--no-fused-matvec 和下面的其他开关各关掉引擎的一项加速，测出少了它时的速度。

        示例：
        """,

        "bench prefill": """
        加载模型（内存映射），用带种子的随机词元 id 组成一段 --tokens 个词元的提示词，一次调用送进空的 KV \
        缓存，只保留最后一个位置的 logits。报告预填充的每秒词元数、从开始加载模型到得到这些 logits 的时间\
        （含 --precision 的转换），以及峰值 RSS（常驻内存）。线程数：--threads、LMLAB_THREADS，或者全部\
        核心。

        示例：
        """,

        "bench explorers": """
        每个样本是探索器页面处理一次按键，再加一次完整重绘，和在笔记本里一样。请用 release 构建；定下的\
        目标是：在 tiny ERNIE 上，每次滑块改动 ≤ 30 ms，每个束搜索步 ≤ 50 ms。

        示例：
        """,

        "bench beam": """
        加载模型（内存映射），先用带种子的随机词元 id 组成一段 --prompt-tokens 个词元的提示词，预填充一次，\
        把页缓存预热；然后依次做 --beams 次贪心解码，每次生成 --tokens 个新词元，再做一次 --beams 个束、\
        --tokens 步的束搜索（禁用结束词元，所以每次都恰好生成 --tokens 个词元）。两者的每秒词元数都按\
        束数 × 词元数 ÷ 秒数计算；两者之比就是把各个束合成一批带来的加速。另外还打印一次模型调用和一整个\
        束搜索步的耗时中位数。线程数：--threads、LMLAB_THREADS，或者全部核心。

        示例：
        """,

        "bench engine": """
        做一次预填充形状的 bf16 乘法（64 个词元 × 0.3B 的 3072 × 1024 gate_proj，权重是带种子的随机数，\
        什么也不下载、不写入），分别走引擎自己的路径和扩成 f32 的后备路径。在没有 AMX 的 CPU 上，两次都走\
        后备路径，报告里会说明这一点。

        示例：
        """,

        "dpo-reward": """
        策略（--policy）和参考模型（--reference）必须共用一个分词器（一个模型和它微调后的版本就是这样）。\
        加 --chat 时，提示词作为用户消息套进对话模板，每个回答都放在助手的回合里打分。

        示例：
        """,

        "rl": """
        每一步从模型自己的训练对话里取一个动物叫声的问题（学习者的语言是中文时用中文问题，否则用英文），\
        采样 --group 个回答，只奖励与参考答案一字不差的回答，然后做一步 REINFORCE（以这一组的平均奖励为\
        基线），外加对未改动的 SFT 模型的 KL 惩罚 β·KL(π ‖ π_ref)。训练出的模型不会保存。

        示例：
        """,

        "train": """
        示例：
        不加 --out 时，模型写到你自己的文件夹 <state>/models/<name>（<state> 是 $XDG_STATE_HOME/lmlab，默认 \
        ~/.local/state/lmlab）：Models/ 里自带的模型保持课文引用时的样子。要有意替换其中一个，就写明它：\
        --out Models/<name>。
        """,

        "train tiny-ernie": """
        结构与 ERNIE-4.5 相同（RMSNorm、交错式 RoPE、分组查询注意力、SwiGLU、权重绑定的嵌入），只是规模\
        很小；分词器是在这里按 ERNIE 的设置训练的 SentencePiece BPE 模型。写出 <out>/{config.json, \
        model.safetensors, tokenizer.model, tokenizer_config.json, special_tokens_map.json, \
        generation_config.json, training.json}；<out>/checkpoint 存着可以接着训练的状态。
        """,

        "train tiny-ernie-moe": """
        形状与稠密的 tiny ERNIE 相同（D 192，4 层，4/2 个头 × 48，V 3072），但第 1–3 层带路由：每个词元送到 \
        E 个宽度为 --expert-ffn 的 SwiGLU 专家中得分最高的 k 个，再加上共享专家；第 0 层保持稠密（F 512）。\
        每一步之后，修正偏置都朝各专家负载相等的方向移动（无辅助损失的负载均衡）。分词器用的是稠密 tiny \
        ERNIE 的（Models/tiny-ernie），所以两个模型给同样的词元打分。写入 <out> 的文件与 \
        `train tiny-ernie` 相同（默认名字 tiny-ernie-moe）。
        """,

        "train tiny-instruct": """
        数据：Models/tiny-ernie-instruct/data/{train,heldout}.jsonl，由 scripts/make_instruct_data.py 根据\
        语料里的事实（首都、动物叫声、复数、故事问答）写成。训练结束后，打印并保存留出集参考答案在基座模型\
        和指令模型下的平均 log P。
        """,

        "train nnlm": """
        示例：

        之后：
        """,

        "train rnn": """
        示例：

        之后：
        """,

        "train gru": """
        示例：
        """,

        "train seq2seq": """
        留出 500 个数（按种子划分）；训练结束时报告它们的完全匹配率和对齐准确率。
        示例：

        之后：
        """,
    ]

    /// Option and argument help in Chinese, by the English text as declared.
    static let trainingOptions: [String: String] = [
        // bench kernels, tokenize
        "Worker threads (1…256; default: LMLAB_THREADS or the number of cores).":
            "工作线程数（1…256；默认：LMLAB_THREADS，或者核心数）。",
        "Timed repetitions per kernel (1…1000); the median is reported.":
            "每个内核计时重复的次数（1…1000）；报告中位数。",
        "MiB streamed per repetition (stream read and matvec pool; 16…65536, and within the machine's memory).":
            "每次重复流式读取的 MiB 数（流式读取和矩阵向量乘的数据池；16…65536，且不超过本机内存）。",
        "A SentencePiece .model file.": "一个 SentencePiece .model 文件。",
        "A UTF-8 text file; each line is encoded separately.": "一个 UTF-8 文本文件；每行分别编码。",
        "Timed passes over the text (1…1000); the fastest is reported.":
            "计时遍历文本的遍数（1…1000）；报告最快的一遍。",

        // bench decode, prefill, beam
        "An ERNIE-4.5 model folder (config.json + safetensors).":
            "一个 ERNIE-4.5 模型文件夹（config.json + safetensors）。",
        "Use seeded random bf16 weights of the exact ERNIE-4.5-0.3B shape (written once to $TMPDIR).":
            "使用带种子的随机 bf16 权重，形状与 ERNIE-4.5-0.3B 完全相同（只写入 $TMPDIR 一次）。",
        "Use seeded random bf16 weights of a 1.7 GB mixture of experts shaped like ERNIE-4.5-21B-A3B, scaled down.":
            "使用带种子的随机 bf16 权重：一个 1.7 GB 的混合专家模型，形状照 ERNIE-4.5-21B-A3B 按比例缩小。",
        "Seed for the random checkpoint and the prompt's token ids.": "随机检查点和提示词的词元 id 所用的种子。",
        """
        Weights: as-stored = weights as stored in the checkpoint, memory-mapped (no copy); bf16 = weights in bfloat16 \
        (2 bytes each), copied into the lab's memory (a bf16 checkpoint as it is); f32 = weights widened to float32 \
        (4 bytes each: the 0.3B takes 1.4 GB); int8 = weights quantised to int8 with one scale per row (1 byte each: \
        the 0.3B takes 361 MB); int4 = weights quantised to 4 bits in groups of 32 with one scale each (4.28 bits a \
        weight: the 0.3B takes 193 MB).
        """: """
        权重精度：as-stored = 按检查点里存的原样，内存映射（不复制）；bf16 = bfloat16 权重（每个 2 字节），复制到实验室\
        的内存里（bf16 检查点原样复制）；f32 = 扩成 float32 的权重（每个 4 字节：0.3B 占 1.4 GB）；int8 = 量化为 \
        int8 的权重，每行一个缩放因子（每个 1 字节：0.3B 占 361 MB）；int4 = 量化为 4 位的权重，每 32 个一组，\
        每组一个缩放因子（每个权重 4.28 位：0.3B 占 193 MB）。
        """,
        "Run parallel regions on Dispatch, not the lab's spinning pool.":
            "并行区域交给 Dispatch 运行，不用实验室的自旋线程池。",
        "One parallel region per matrix in a decode step.": "解码步里每个矩阵单独一个并行区域（不合并）。",
        "No software prefetch in the bf16 and int8 matvec.": "bf16 和 int8 矩阵向量乘不做软件预取。",
        "Map the checkpoint without MAP_POPULATE.": "映射检查点时不用 MAP_POPULATE。",
        "Prefill's bf16 products without AMX or AVX512-BF16.": "预填充的 bf16 乘法不用 AMX 或 AVX512-BF16。",
        "Single-token decode steps (1…4096).": "单词元解码的步数（1…4096）。",
        "Length of the prompt prefilled before decoding (1…4096).": "解码前预填充的提示词长度（1…4096）。",
        "Prompt length T (1…8192).": "提示词长度 T（1…8192）。",
        "Beams B (2…64; also the number of greedy runs compared with them).":
            "束数 B（2…64；也是与之对比的贪心解码次数）。",
        "New tokens N per run (beam steps, 2…4096).": "每次运行生成的新词元数 N（即束搜索步数，2…4096）。",
        "Length of the prompt every run starts from (1…4096).": "每次运行开头的提示词长度（1…4096）。",

        // bench explorers
        "A model folder or a model name (default tiny-ernie).": "模型文件夹或模型名（默认 tiny-ernie）。",
        "The prompt (default: a corpus-style sentence start).": "提示词（默认：一个语料风格的句子开头）。",
        "Slider changes to time (1…100000, default 200).": "计时的滑块改动次数（1…100000，默认 200）。",
        "Beams (1…16, as the explorer offers; default 4).": "束数（1…16，与探索器提供的范围相同；默认 4）。",
        "Beam steps to time (1…1000, default 16; fewer if the search ends).":
            "计时的束搜索步数（1…1000，默认 16；搜索提前结束时会少一些）。",
        "Screen size COLSxROWS (40x10…1000x1000, default 80x24).":
            "屏幕大小 COLSxROWS，即列数x行数（40x10…1000x1000，默认 80x24）。",

        // dpo-reward, rl
        "The prompt x.": "提示词 x。",
        "Candidate answers y, separated by '|'.": "候选回答 y，用 '|' 分隔。",
        "The post-trained model π (a folder or a name).": "后训练得到的模型 π（文件夹或模型名）。",
        "The reference model π_ref it was trained from.": "参考模型 π_ref，即 π 训练时的起点。",
        "β, the strength of the KL constraint (default 0.1; above 0, at most 100).":
            "β，KL 约束的强度（默认 0.1；大于 0，至多 100）。",
        "The SFT model to start from, and the KL reference.": "作为起点的 SFT 模型，也是计算 KL 的参考模型。",
        "RL steps (1…500).": "强化学习的步数（1…500）。",
        "Answers sampled per question (2…64).": "每个问题采样的回答数（2…64）。",
        "β of the KL penalty (0…100; 0 turns it off).": "KL 惩罚的 β（0…100；0 表示关掉它）。",
        "AdamW learning rate (above 0, at most 0.1).": "AdamW 学习率（大于 0，至多 0.1）。",
        "Seed of the sampling and the question order.": "采样和提问顺序的种子。",

        // train tiny-ernie, tiny-ernie-moe, tiny-instruct
        "Optimizer steps in the whole run (1…1000000).": "整个训练的优化步数（1…1000000）。",
        "Sequences per step (1…1024).": "每步的序列数（1…1024）。",
        "Peak learning rate (after warm-up; cosine decay to a tenth of it; at most 1).":
            "峰值学习率（预热结束时达到，之后按余弦衰减到它的十分之一；至多 1）。",
        "Seed of the weights and of the batch order.": "初始权重和批次顺序的种子。",
        "Model folder to write (default: <state>/models/<name>, e.g. ~/.local/state/lmlab/models/tiny-ernie).":
            "要写入的模型文件夹（默认：<state>/models/<name>，例如 ~/.local/state/lmlab/models/tiny-ernie）。",
        TrainedModelFolder.nameHelp: "把模型叫作 NAME：它的文件夹是 <state>/models/NAME（除非给了 --out），"
            + "本次会话里 --model NAME 就能找到它（默认：模型自己的名字）。",
        "Continue the run saved in <out>/checkpoint (after Ctrl-C).":
            "接着训练保存在 <out>/checkpoint 里的那次运行（Ctrl-C 之后）。",
        "Watch the run full screen: the loss curve as it grows; Ctrl-C stops it.":
            "全屏观看训练：损失曲线随训练一步步画出；Ctrl-C 停止。",
        "Save a checkpoint every N steps (1…1000000).": "每 N 步保存一次检查点（1…1000000）。",
        "Time N training steps (1…10000) and print steps/s and tokens/s; saves nothing.":
            "计时 N 个训练步（1…10000），打印每秒步数和每秒词元数；什么也不保存。",
        "Tokens per training sequence (8…4096).": "每个训练序列的词元数（8…4096）。",
        "Hidden size D (1…4096).": "隐藏维度 D（1…4096）。",
        "Decoder layers (1…64).": "解码器层数（1…64）。",
        "Query heads H (1…128).": "查询头数 H（1…128）。",
        "Key/value heads Hkv (grouped-query attention; divides H).": "键/值头数 Hkv（分组查询注意力；须整除 H）。",
        "Head dimension Dh (even, 2…512).": "每个头的维度 Dh（偶数，2…512）。",
        "SwiGLU width F (1…16384).": "SwiGLU 宽度 F（1…16384）。",
        "Tokenizer vocabulary size (BPE pieces, up to 65536).": "分词器的词表大小（BPE 词片段数，至多 65536）。",
        """
        Reuse this model folder's tokenizer (e.g. Models/tiny-ernie) instead of training one, so token ids stay the \
        same.
        """: "沿用这个模型文件夹的分词器（例如 Models/tiny-ernie），不另外训练，这样词元 id 保持不变。",
        "Routed experts E per MoE layer (2…64).": "每个 MoE 层的路由专家数 E（2…64）。",
        "Experts chosen per token k (1…E).": "每个词元选用的专家数 k（1…E）。",
        "Shared experts S, run on every token (0…8).": "共享专家数 S，每个词元都要经过它们（0…8）。",
        "One expert's SwiGLU width Fe (1…4096).": "单个专家的 SwiGLU 宽度 Fe（1…4096）。",
        """
        Only print the held-out perplexity of this saved tiny ERNIE folder (dense or MoE), measured as \
        training.json's.
        """: "只打印这个已保存的 tiny ERNIE 文件夹（稠密或 MoE）的留出集困惑度，测法与 training.json 里的相同。",
        """
        The base model folder (default: the project's Models/tiny-ernie, or in a session the tiny-ernie trained in \
        it).
        """: "基座模型文件夹（默认：项目里的 Models/tiny-ernie；在会话中则是本次会话训练出的 tiny-ernie）。",

        // train nnlm, rnn, gru, seq2seq
        "Optimizer steps in the whole run (1…1000000; a resumed run counts from the checkpoint's step).":
            "整个训练的优化步数（1…1000000；接着训练时从检查点所在的步数算起）。",
        "Examples per step (contexts for nnlm, sentences for rnn/gru/seq2seq; 1…4096).":
            "每步的样本数（nnlm 是一段段上文，rnn/gru/seq2seq 是句子；1…4096）。",
        "Starting learning rate (linear decay to a tenth of it; at most 1).":
            "初始学习率（线性衰减到它的十分之一；至多 1）。",
        "Folder to write model.safetensors and checkpoint.safetensors (default: <state>/models/<name>).":
            "写入 model.safetensors 和 checkpoint.safetensors 的文件夹（默认：<state>/models/<name>）。",
        "Continue from <out>/checkpoint.safetensors (after Ctrl-C).":
            "从 <out>/checkpoint.safetensors 接着训练（Ctrl-C 之后）。",
        "Context words N = n − 1 (1…16).": "上文词数 N = n − 1（1…16）。",
        "Word vector size m (1…1024).": "词向量维度 m（1…1024）。",
        "Hidden units (1…4096).": "隐藏单元数（1…4096）。",
        "Leave out the direct connections from the word vectors to the output.": "去掉从词向量到输出的直连。",
        "Word vector size E (1…1024).": "词向量维度 E（1…1024）。",
        "Hidden state size (1…4096).": "隐藏状态维度（1…4096）。",
        "Truncated BPTT window (time steps, 1…1024).": "截断 BPTT 的窗口（时间步数，1…1024）。",
        "GRU size (each direction of the encoder, and the decoder; 1…1024).":
            "GRU 的维度（编码器的每个方向和解码器都用它；1…1024）。",
        "Attention size A (1…1024).": "注意力维度 A（1…1024）。",
        "Train the twin without attention: the decoder reads only the encoder's final states (lesson 6).":
            "训练没有注意力的同款翻译器：解码器只读编码器的最终状态（第 6 课）。",
    ]
}
