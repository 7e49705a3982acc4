// swift-tools-version:6.0
// LMLab — a terminal lab that teaches how language models work by running them.
// Targets are layers (docs/ARCHITECTURE.md); dependencies point down only.
import PackageDescription

/// Two flag sets. Both compile for this CPU (AVX-512 where present) and stay optimised in debug builds:
/// unoptimised SIMD code is ~200× slower and would make `swift test` crawl (shared/PLATFORM.md).
///
/// `kernelFlags` (-Ounchecked: no overflow or bounds traps) only on the hot engine targets, where the inner loops
/// are measured to matter: LabCore (the kernels: matmul, attention, softmax, topK), Autograd (every training
/// op's forward and backward), ERNIE (the forward pass and KV cache), ErnieTraining and NeuralLMs (the training
/// loops). Their size arithmetic on untrusted numbers is checked explicitly (`multipliedReportingOverflow`), since
/// nothing traps there.
let kernelFlags: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked"], .when(configuration: .debug)),
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
    .unsafeFlags(["-Xcc", "-march=native", "-target-cpu", "native"]),
]

/// `checkedFlags` (-O: optimised, but an overflow or an index out of range traps instead of corrupting memory) on
/// the targets that read what strangers write or what a user types — argument parsing and validation (LabCLI),
/// config.json/safetensors/model folders (ModelFiles), the Hub and its cache paths (Hub), tokenizer.model and the
/// corpora (Tokenizers, ClassicLMs: their hot loops run over unsafe buffers, which -O leaves unchecked anyway),
/// decoding settings and beam bookkeeping (Decoding) — and on those targets' tests. A missed check in them stops
/// the program with a message; it never turns into a wrapped size. Lab, REPL and TerminalUI (lessons, explorers,
/// the screen) take no flags: SwiftPM's defaults, checked in both configurations.
let checkedFlags: [SwiftSetting] = [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
    .unsafeFlags(["-Xcc", "-march=native", "-target-cpu", "native"]),
]

let package = Package(
    name: "LMLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lmlab", targets: ["lmlab"]),
        // Structure-aware mutation fuzzer of the file parsers (scripts/fuzz.sh, docs/RELIABILITY.md).
        .executable(name: "lmlab-fuzz", targets: ["LabFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `lmlab serve`'s HTTP server: small (no SwiftNIO), async/await, chunked bodies for SSE (docs/PERFORMANCE.md).
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // System-library shims. The shim headers fail with a message naming the package to install.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw",
                       providers: [.apt(["libncurses-dev"]), .brew(["ncurses"])]),
        .systemLibrary(name: "CReadline", path: "Sources/CReadline",
                       providers: [.apt(["libreadline-dev"]), .brew(["readline"])]),
        // OpenSSL's libcrypto, for the SHA-256 of downloads at the CPU's SHA-extension speed (docs/PERFORMANCE.md).
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),

        // The few kernels Swift cannot express (AMX tiles): per-function target attributes, called only after
        // runtime detection; stubs returning false elsewhere, so the Swift path runs.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2"])]),
        // Numerical core: Tensor, BFloat16, kernels (naive + fast), seeded RNG, parallelFor, LanguageModel.
        .target(name: "LabCore", dependencies: ["CKernels"], swiftSettings: kernelFlags),
        // Reverse-mode automatic differentiation over LabCore tensors, optimizers, gradcheck.
        .target(name: "Autograd", dependencies: ["LabCore"], swiftSettings: kernelFlags),
        // safetensors, config.json and friends, model folders and the Hugging Face cache.
        .target(name: "ModelFiles", dependencies: ["LabCore"], swiftSettings: checkedFlags),
        // The Hugging Face Hub: repository listing, resumable checksummed downloads into the shared HF cache.
        .target(name: "Hub", dependencies: ["LabCore", "ModelFiles", "CCrypto"], swiftSettings: checkedFlags),
        // SentencePiece (BPE/unigram) exact to the library, ERNIE's tokenizer, char/word tokenizers, BPE trainer.
        .target(name: "Tokenizers", dependencies: ["LabCore", "ModelFiles"], swiftSettings: checkedFlags),
        // ERNIE-4.5 inference: exact forward pass with KV cache over mmap'd checkpoints (also serves the tiny ERNIE).
        .target(name: "ERNIE", dependencies: ["LabCore", "ModelFiles", "Tokenizers"], swiftSettings: kernelFlags),
        // Classic language models: the generated corpora and the n-gram model (counts, smoothing, perplexity).
        .target(name: "ClassicLMs", dependencies: ["LabCore", "ModelFiles", "Tokenizers", "Decoding"], swiftSettings: checkedFlags),
        // Neural language models trained with Autograd: Bengio's NNLM, Elman RNN and GRU LMs, the GRU encoder–decoder
        // with Bahdanau attention, and attention step by step for lesson cells.
        .target(name: "NeuralLMs", dependencies: ["LabCore", "Autograd", "ModelFiles", "Tokenizers"],
                swiftSettings: kernelFlags),
        // The tiny ERNIE: the ERNIE-4.5 architecture as an Autograd model, its trainer (base and SFT), and export in
        // the Hugging Face layout that the ERNIE engine loads.
        .target(name: "ErnieTraining", dependencies: ["LabCore", "Autograd", "ModelFiles", "Tokenizers"],
                swiftSettings: kernelFlags),
        // Decoding over any LanguageModel: logits processors, greedy, seeded sampling, beam search with its tree.
        .target(name: "Decoding", dependencies: ["LabCore"], swiftSettings: checkedFlags),
        // The lab: the course outline, lessons, sessions (the model loader and the names a session gives models), Output,
        // the reports of the classic and neural models and the training runs of the lab's own (hence ClassicLMs,
        // NeuralLMs, ErnieTraining); the word-level neural LMs for prob and generate.
        .target(name: "Lab", dependencies: ["LabCore", "Autograd", "Decoding", "ModelFiles", "Hub", "Tokenizers", "ERNIE",
                                            "ClassicLMs", "NeuralLMs", "ErnieTraining"]),
        // Readline line editing, history, completion (the only importer of CReadline).
        .target(name: "REPL", dependencies: ["CReadline", "LabCore"]),
        // Terminal drawing (the only importer of CNcursesw).
        .target(name: "TerminalUI", dependencies: ["CNcursesw", "LabCore", "Lab"]),
        // Benchmarks (`lmlab bench …`): kernels, tokenizer, ERNIE decode/prefill, beams, explorers; the random
        // 0.3B checkpoint. Kernel flags: the random checkpoint's generator fills 360 M entries.
        .target(name: "LabBench", dependencies: ["LabCore", "ModelFiles", "Tokenizers", "ERNIE", "Decoding", "Lab",
                                                 "TerminalUI"], swiftSettings: kernelFlags),
        // `lmlab serve`: the ERNIE engine behind an OpenAI-compatible HTTP API (completions with prompt log-probs,
        // chat, SSE streaming), one request at a time.
        .target(name: "Serve", dependencies: ["LabCore", "ModelFiles", "ERNIE", "Tokenizers", "Decoding", "Lab",
                                              .product(name: "FlyingFox", package: "FlyingFox")]),
        // The course's exercises: build a learner's Swift file with a harness, run it out of process, compare it with
        // the lab's own implementations (Lessons/exercises, docs/EXERCISES.md).
        .target(name: "LabExercises", dependencies: ["LabCore", "Autograd", "Tokenizers", "ERNIE", "Decoding", "Lab",
                                                     "ClassicLMs", "NeuralLMs"], swiftSettings: checkedFlags),
        // The command-line surface (swift-argument-parser): every `lmlab <command>`, also parsed by the REPL.
        .target(name: "LabCLI", dependencies: [
            "LabCore", "Autograd", "ModelFiles", "Hub", "Tokenizers", "ERNIE", "Decoding", "Lab", "REPL", "TerminalUI", "ClassicLMs", "NeuralLMs", "ErnieTraining", "LabBench", "LabExercises", "Serve",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: checkedFlags),
        // The executable: `main` and nothing else.
        .executableTarget(name: "lmlab", dependencies: ["LabCLI"]),
        // The parser fuzzer: safetensors headers, tokenizer.model, config.json readers, lesson Markdown, API answers.
        .executableTarget(name: "LabFuzz", dependencies: [
            "LabCore", "ModelFiles", "Tokenizers", "Lab", "Decoding",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "LabCoreTests", dependencies: ["LabCore"], resources: [.copy("Fixtures")],
                    swiftSettings: kernelFlags),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd", "LabCore"],
                    resources: [.copy("Fixtures")], swiftSettings: kernelFlags),
        .testTarget(name: "ModelFilesTests", dependencies: ["ModelFiles", "LabCore"],
                    resources: [.copy("Fixtures")], swiftSettings: checkedFlags),
        .testTarget(name: "HubTests", dependencies: ["Hub", "ModelFiles", "LabCore", "LabTestSupport", "ERNIE"], swiftSettings: checkedFlags),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "ModelFiles", "LabCore"],
                    resources: [.copy("Fixtures")], swiftSettings: checkedFlags),
        .testTarget(name: "ERNIETests", dependencies: ["ERNIE", "ModelFiles", "Tokenizers", "LabCore", "Decoding"],
                    resources: [.copy("Fixtures")], swiftSettings: kernelFlags),
        .testTarget(name: "ClassicLMsTests", dependencies: ["ClassicLMs", "Decoding", "Tokenizers", "LabCore"],
                    resources: [.copy("Fixtures")], swiftSettings: checkedFlags),
        // Shared by the test targets: a loopback HTTP server that plays an OpenAI-compatible API.
        .target(name: "LabTestSupport", path: "Tests/Support"),
        .testTarget(name: "DecodingTests", dependencies: ["Decoding", "ERNIE", "ModelFiles", "LabCore", "LabTestSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: checkedFlags),
        .testTarget(name: "NeuralLMsTests", dependencies: ["NeuralLMs", "Autograd", "ClassicLMs", "LabCore"],
                    resources: [.copy("Fixtures")], swiftSettings: kernelFlags),
        .testTarget(name: "ErnieTrainingTests", dependencies: ["ErnieTraining", "ERNIE", "ModelFiles", "Tokenizers", "Autograd", "LabCore"],
                    resources: [.copy("Fixtures")], swiftSettings: kernelFlags),
        .testTarget(name: "LabTests", dependencies: ["Lab", "LabCore", "ClassicLMs", "Decoding", "ERNIE", "ModelFiles", "Hub"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "Lab"], resources: [.copy("Golden")]),
        .testTarget(name: "LabBenchTests", dependencies: ["LabBench", "ERNIE", "ModelFiles", "LabCore"],
                    swiftSettings: kernelFlags),
        .testTarget(name: "ServeTests", dependencies: ["Serve", "ERNIE", "ModelFiles", "Tokenizers", "Decoding", "LabCore", "LabTestSupport"]),
        .testTarget(name: "LabFuzzTests", dependencies: ["LabFuzz", "LabCore"]),
        .testTarget(name: "LabCLITests", dependencies: ["LabCLI", "Serve", "LabCore", "Lab", "LabExercises", "TerminalUI", "REPL", "Decoding", "LabTestSupport"],
                    exclude: ["Golden", "Fixtures"]),   // read from the source tree (#filePath), golden files rewritten in place
    ],
    swiftLanguageModes: [.v5]
)
