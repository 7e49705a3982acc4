// The Chinese --help of the classic models and the course: classify, corpus, embed, ngram, nnlm, rnn, seq2seq,
// exercise, home, lesson, lessons, repl (lmlab's own page is CommandGuide.rootHelp; see CommandHelpChinese.swift).

extension CommandHelpChinese {
    /// Discussions in Chinese, by command path.
    static let courseDiscussions: [String: String] = [
        "lessons": """
        --json 打印 [{number, file, title, summary, written}]。

        示例：
        """,

        "lesson run": """
        FILE 是一课的路径（.md），或在 Lessons/<lang>/ 里查找的课号或课名。
        示例：
        遇到第一个失败的单元就以状态 1 退出，指出文件、行号、单元和命令；如果是单元的输出没能通过它的某一行 \
        `# expect:`，就指出那一行，并给出单元打印的内容。
        """,

        "lesson export": """
        FILE 是一课的路径、课号或课名，同 `lesson run`。写出的文件保留课文；每个单元后面跟一个 ```output 块：\
        每条命令（写在 $ 之后）和它打印的内容，或者它失败的原因。
        示例：
        """,

        "lesson list": """
        示例：
        """,

        "repl": """
        每行写一条实验室命令，写法与命令行上相同，只是不写 `lmlab`：
          lmlab> lessons --lang zh
          lmlab> help bench
          lmlab> exit
        在管道里（没有终端）时，它从标准输入读取命令，输出纯文本：
          printf 'lessons\\n' | lmlab repl
        命令历史保存在 $XDG_STATE_HOME/lmlab/history（默认 $HOME/.local/state/lmlab/history），与笔记本的\
        编辑行共用。Tab 补全正在输入的命令：它的子命令、选项、选项的取值和模型名。
        """,

        "classify": """
        每个标签都作为提示词的续写来分词（提示词 + 标签，所以词的边界由模型自己决定），再在提示词之后给它的\
        词元打分。--chat 把提示词作为用户回合放进对话模板，把每个标签当作助手回答的开头来打分。标签按总 log P \
        排名，所以被分词器切成较少词元的标签要乘的因子也少：小模型的中文里整个短语常常是一个词元，最短的标签往往\
        单凭这一点就赢了（第 2 课讲了这个现象；可以对照“每词元均值”一列）。

        示例：
        """,

        "exercise": """
        练习文件在 Lessons/exercises/ 里。编辑其中一个，然后 `check` 用一个小测试框架构建它（swiftc），\
        把它算出的结果与实验室自己的实现对照，指出第一处不同。`hint` 一次给一条提示；检查通过后显示参考答案；\
        `reset` 放回初始文件。`watch` 每次保存都重新检查；`plug` 让实验室用上你已通过的代码，与它自己的实现\
        并排运行。

        示例：
        """,

        "exercise watch": """
        不给 NAME 时监视所有练习文件，检查你保存的那一个。保存后不到四分之一秒就会被发现；随后构建你的文件\
        要几秒钟。
        """,

        // The list is ExercisePlug.pluggable (LabExercises, which Lab cannot see): keep it in step.
        "exercise plug": """
        实验室能用上的练习：softmax、temperature、top_k、top_p、min_p、greedy_decoder、add_k、chat_template、\
        rms_norm。采样类练习让 tiny ERNIE 在 --prompt 之后的下一个词元分布分别经过你的函数和实验室的函数，\
        各做一次带种子的抽取；greedy_decoder 用你的解码器生成；add_k 用你的平滑给 --sentence 打分\
        （`ngram prob`）；chat_template 用对话模板排好 --prompt 再分词；rms_norm 在 tiny ERNIE 前向计算的\
        每个归一化处对 --prompt 之后的隐藏状态做归一化，并由你最后一次归一化的结果预测下一个词元。

        示例：
        """,

        "corpus list": """
        --json 打印 [{name, language, train, heldout, tokenization}]。
        """,

        "corpus stats": """
        --json 打印 CorpusStatistics，包括按排名列出的频率。

        示例：
        """,

        "ngram": """
        每次调用都重新从语料统计出模型（不到一秒；见 `ngram train`）。平滑方法：mle、laplace（加一）、\
        addk（--k）、kn（插值 Kneser–Ney，--discount；nltk 的默认值是 0.1）。

        示例：
        """,

        "nnlm prob": """
        示例：
        """,

        "nnlm order": """
        显示两个词袋，以及 ln P(A)、ln P(B)：分别在语料的一元模型（一个词袋模型）下、--model 下和每个 \
        --compare 下。
        示例：
        """,

        "nnlm window": """
        打印每个模型在 A 之后和在 B 之后预测的下一个词，以及两个分布相差多远。
        示例：
        """,

        "rnn vanishing": """
        读取 Models/rnn-stories-en 和 Models/gru-stories-en（由 `lmlab train rnn`、`lmlab train gru` 生成）。

        --json 打印折线图的数据。

        示例：
        """,

        "rnn parallel": """
        在同样的 --tokens 个词元上计时两件事：Models/gru-stories-en（或 --model）一步接一步的递推，以及隐藏维度\
        相同的一次因果自注意力（NeuralLMs/SequentialVsParallel.swift）。
        示例：
        """,

        "seq2seq translate": """
        示例：
        """,

        "seq2seq lengths": """
        用 Models/seq2seq-numbers 和它没有注意力的同款翻译器 Models/seq2seq-numbers-plain\
        （`lmlab train seq2seq --no-attention`）翻译 500 个留出的数。
        """,

        "embed": """
        带负采样的 Skip-gram 或 CBOW，加上高频词下采样、随机缩小的窗口和线性衰减的学习率，用手写的 SGD \
        在 2 个线程上训练（Hogwild）。Ctrl-C 停止训练，保留到此为止训练出的结果（加了 --save 还会保存）。不给 \
        --model 时，neighbors、analogy 和 map 每次都先训练（要几秒）；--model word2vec-stories-en（或 -zh）直接读实验室自带的向量。

        示例：
        """,

        "embed train": """
        --json 打印 {config, vocabulary, training, analogies}。
        """,

        "embed neighbors": """
        --json 打印 {word: [{word, cosine}]}。
        """,

        "embed analogy": """
        不给 a、b、c 时：回答类比文件（--analogies，或 Lessons/data/analogies.<language>.txt）里的每一道题，\
        并按类别打印准确率。

        --json 打印 [{word, cosine}]；不给 a、b、c 时打印准确率报告。
        """,

        "embed map": """
        --json 打印 {explained, points: [{word, x, y}]}。
        """,
    ]

    /// Option and argument help in Chinese, by the English text as declared.
    static let courseOptions: [String: String] = [
        "Show the version.": "显示版本。",
        "Show help information.": "显示帮助。",
        "Language of the course: en or zh (default: from the locale).":
            "课程的语言：en 或 zh（默认：按系统的区域设置）。",
        "Print JSON instead of the text.": "打印 JSON，而不是文字。",

        // lesson
        "The lesson: a path, a number (3) or a file name (03-decoding).":
            "哪一课：路径、课号（3）或文件名（03-decoding）。",
        "Run only the cell with this id.": "只运行这个 id 的单元。",
        "Output format: md (Markdown, the lesson with its outputs).":
            "输出格式：md（Markdown，课文连同各单元的输出）。",
        "The file to write (replaced if it exists).": "要写入的文件（已存在就覆盖）。",

        // classify
        "The prompt the labels continue.": "标签要续写的提示词。",
        "Comma-separated labels, each scored as a continuation (keep a leading space if the label follows a word).":
            "用逗号分隔的标签，每个都作为续写来打分（标签跟在一个词后面时，保留它开头的空格）。",

        // exercise
        "The exercise (see `lmlab exercise list`).": "练习名（见 `lmlab exercise list`）。",
        "The exercise.": "练习名。",
        "greedy_decoder: the model to decode with (default tiny-ernie).":
            "greedy_decoder：用来解码的模型（默认 tiny-ernie）。",
        "Check this file instead of Lessons/exercises/NAME.swift.":
            "检查这个文件，而不是 Lessons/exercises/NAME.swift。",
        "When the check fails, show the next hint (counted as `lmlab exercise hint NAME` counts it).":
            "检查没通过时，显示下一条提示（和 `lmlab exercise hint NAME` 一样计数）。",
        "Do not ask.": "不先询问，直接执行。",
        "Watch only this exercise (default: all of them).": "只监视这个练习（默认：全部）。",
        "Stop after this many checks (default: run until Ctrl-C).": "检查这么多次后停止（默认：一直运行到 Ctrl-C）。",
        "The model (default tiny-ernie; the greedy decoder also runs on ERNIE-4.5-0.3B when downloaded).":
            "模型（默认 tiny-ernie；下载了 ERNIE-4.5-0.3B 时，贪心解码器也能在它上面运行）。",
        "The prompt (sampling, greedy_decoder, chat_template).": "提示词（采样类练习、greedy_decoder、chat_template）。",
        "add_k: the sentence to score (words of the Luna story).": "add_k：要打分的句子（用 Luna 故事里的词）。",
        """
        The exercise's parameter, default in brackets: temperature T (0.7), top-k k (5), top-p p (0.9), \
        min-p (0.1), add-k k (1).
        """:
            "练习的参数（括号里是默认值）：temperature 的 T（0.7）、top-k 的 k（5）、top-p 的 p（0.9）、min-p（0.1）、"
            + "add-k 的 k（1）。",
        "The seed of the draw (sampling exercises).": "抽取用的随机种子（采样类练习）。",
        "greedy_decoder: new tokens to generate.": "greedy_decoder：要生成的新词元数。",

        // corpus, ngram
        "Corpus name (lmlab corpus list).": "语料名（见 lmlab corpus list）。",
        "How many of the most frequent tokens to show (1…1000).": "显示多少个最常见的词元（1…1000）。",
        "Order n (1…5).": "阶数 n（1…5）。",
        "mle | laplace | addk | kn.": "平滑方法：mle | laplace | addk | kn。",
        "k of add-k smoothing (above 0, at most 100).": "加 k 平滑的 k（大于 0，至多 100）。",
        "Kneser–Ney absolute discount d (0 < d < 1).": "Kneser–Ney 的绝对折扣 d（0 < d < 1）。",
        "Tokens seen fewer times in training become <unk> (1…1000000).":
            "训练中出现次数少于此数的词元都记作 <unk>（1…1000000）。",
        "The sentence (tokenized like the corpus).": "句子（按语料的方式切分）。",
        "Largest order to evaluate (1…5).": "评估到的最高阶数（1…5）。",
        "Text to continue (tokenized like the corpus).": "要续写的文字（按语料的方式切分）。",
        "Always take the most probable token instead of sampling.": "总是取概率最大的词元，不采样。",
        "Sampling temperature τ: P(w)^(1/τ) (0.1…100).": "采样温度 τ：P(w)^(1/τ)（0.1…100）。",
        "Random seed (the same seed gives the same text).": "随机种子（同一个种子写出同样的文字）。",
        "Number of sentences (1…1000).": "句子数（1…1000）。",
        "Stop a sentence after this many tokens (1…10000).": "一个句子写到这么多个词元就停（1…10000）。",

        // nnlm, rnn, seq2seq
        "The sentence (tokenized like the corpus: lowercased words and punctuation).":
            "句子（按语料的方式切分：小写的词和标点）。",
        "Model file or folder (default: Models/nnlm-stories-en, written by `lmlab train nnlm`).":
            "模型文件或文件夹（默认：Models/nnlm-stories-en，由 `lmlab train nnlm` 写出）。",
        "Text A.": "文字 A。",
        "Text B.": "文字 B。",
        "A word-level model (default nnlm-stories-en).": "一个以词为单位的模型（默认 nnlm-stories-en）。",
        "Another word-level model beside it (repeatable).": "与它并排比较的另一个以词为单位的模型（可以给多次）。",
        "Largest k (1…200).": "最大的 k（1…200）。",
        "Held-out sequences to average over (1…1000).": "在多少个留出序列上取平均（1…1000）。",
        "Elman RNN model file or folder (default Models/rnn-stories-en).":
            "Elman RNN 模型文件或文件夹（默认 Models/rnn-stories-en）。",
        "GRU model file or folder (default Models/gru-stories-en).":
            "GRU 模型文件或文件夹（默认 Models/gru-stories-en）。",
        "Sequence length T (1…4096).": "序列长度 T（1…4096）。",
        "Runs of each, the fastest counted (1…100).": "两者各运行几次，只算最快的一次（1…100）。",
        "Elman RNN or GRU model file or folder (default Models/gru-stories-en).":
            "Elman RNN 或 GRU 模型文件或文件夹（默认 Models/gru-stories-en）。",
        "English number words, e.g. \"forty two\".": "用英文单词写的数，例如 \"forty two\"。",
        "Model file or folder (default: Models/seq2seq-numbers, written by `lmlab train seq2seq`).":
            "模型文件或文件夹（默认：Models/seq2seq-numbers，由 `lmlab train seq2seq` 写出）。",
        "Print the attention weights (rows: output tokens, columns: source words).":
            "打印注意力权重（行：输出词元，列：源词）。",
        "The translator with attention (default Models/seq2seq-numbers).":
            "有注意力的翻译器（默认 Models/seq2seq-numbers）。",
        "The translator without attention (default Models/seq2seq-numbers-plain).":
            "没有注意力的翻译器（默认 Models/seq2seq-numbers-plain）。",

        // embed
        "Read vectors instead of training: a file written by `embed train --save`, its folder, or a name under Models/ (word2vec-stories-en).":
            "读取向量，不再训练：`embed train --save` 写出的文件、它所在的文件夹，或 Models/ 下的名字（word2vec-stories-en）。",
        "skipgram | cbow.": "模型结构：skipgram | cbow。",
        "Vector dimension D (1…4096).": "向量维度 D（1…4096）。",
        "Largest context distance (each centre word draws 1…window; at most 1000).":
            "最大上下文距离（每个中心词随机取 1…window；至多 1000）。",
        "Negative samples per positive pair (1…64).": "每个正样本对配几个负样本（1…64）。",
        "Passes over the corpus (1…10000).": "在语料上训练几轮（1…10000）。",
        "Words seen fewer times are dropped (at least 1; at least two words must stay).":
            "出现次数少于此数的词被丢掉（至少 1；至少要留下两个词）。",
        "Subsampling threshold (gensim's sample; 0 = off; below 1).":
            "下采样阈值（即 gensim 的 sample；0 = 关闭；小于 1）。",
        "Learning rate at the start (above 0, at most 1).": "开始时的学习率（大于 0，至多 1）。",
        "Learning rate at the end (linear decay; 0…alpha).": "结束时的学习率（线性衰减；0…alpha）。",
        "Training threads (1…256).": "训练线程数（1…256）。",
        "Random seed (1 thread: the same seed gives the same vectors).":
            "随机种子（单线程时，同一个种子得到同样的向量）。",
        "No progress line on stderr.": "不在 stderr 上显示进度行。",
        "Write the vectors (safetensors with the vocabulary in its metadata).":
            "写出向量（safetensors 文件，词表存在它的元数据里）。",
        "Analogy questions (default: Lessons/data/analogies.<language>.txt when present).":
            "类比题文件（默认：有 Lessons/data/analogies.<language>.txt 时就用它）。",
        "One or more words (English is lowercased).": "一个或多个词（英文会转成小写）。",
        "Neighbours per word (1…1000).": "每个词显示几个近邻（1…1000）。",
        "The word a of a : b :: c : ? (with b and c; none of them: score --analogies).":
            "类比 a : b :: c : ? 中的词 a（与 b、c 一起给出；三个都不给时，为 --analogies 的类比题打分）。",
        "The word b of a : b :: c : ?.": "类比 a : b :: c : ? 中的词 b。",
        "The word c of a : b :: c : ?.": "类比 a : b :: c : ? 中的词 c。",
        "Answers to show (1…1000).": "显示几个答案（1…1000）。",
        "Analogy questions to score when a, b, c are not given.": "不给 a、b、c 时，拿来评测的类比题文件。",
        "Comma-separated words (default: animals, countries, capitals and foods).":
            "用逗号分隔的词（默认：动物、国家、首都和食物）。",
        "Plot width in columns (20…1000; default: the output's).": "图的宽度，以列计（20…1000；默认：输出的宽度）。",
        "Plot height in rows (5…1000).": "图的高度，以行计（5…1000）。",
        "Open the map full screen (it fills the terminal).": "全屏打开这张图（占满整个终端）。",
    ]
}
