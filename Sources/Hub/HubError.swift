// HubError — everything that stops `lmlab download`, each with a message that says what happened and what to do.
//
// The Hub tells "repository", "revision" and "file" apart only through its `X-Error-Code` response header
// (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo); a 401 without a code means the repository is private,
// gated or missing and no valid token was sent (huggingface_hub's `hf_raise_for_status` reads them the same way).
// When the Hub cannot be reached at all, the message names the manual way round: download on a machine that has
// access and copy the folder, or point `--model` at a folder.

import Foundation
import LabCore

/// Why a Hub request or a download failed. `description` is the message shown to the learner; it ends in a HINT.
public enum HubError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No connection: DNS failure, refused connection, timeout, no route. `reason` is the system's wording.
    case unreachable(endpoint: String, repo: String, reason: String)
    /// The repository does not exist (or is private and no token was sent).
    case repositoryNotFound(repo: String, endpoint: String, tokenSent: Bool)
    /// The repository exists but has no such branch, tag or commit.
    case revisionNotFound(repo: String, revision: String)
    /// The repository and revision exist but the file does not.
    case fileNotFound(repo: String, revision: String, file: String)
    /// 401/403: the repository is gated or private and the token is missing, invalid, or not granted access.
    case accessDenied(repo: String, status: Int, tokenSent: Bool, serverMessage: String?)
    /// Any other HTTP status.
    case httpStatus(url: String, status: Int, serverMessage: String?)
    /// The server answered with something that is not what the Hub API returns.
    case badResponse(url: String, problem: String)
    /// The connection broke in the middle of a file, more times than the downloader retries.
    case interrupted(file: String, received: Int64, expected: Int64?, reason: String)
    /// The bytes received do not hash to the LFS sha256 the Hub lists, even after downloading again.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// The server kept sending fewer (or more) bytes of a file than its listing says, `attempts` times in a row.
    case wrongLength(file: String, source: String, expected: Int64, received: Int64, attempts: Int)
    /// A `--revision` (or a catalog revision) that is not a safe git ref name.
    case invalidRevision(revision: String, problem: String)
    /// A repository id that is not ORG/NAME in the Hub's characters.
    case invalidRepository(repo: String, problem: String)
    /// A path the downloader built would leave its folder in the cache (a `..`, or a symbolic link on the way).
    case outsideCache(path: String, folder: String, reason: String)
    /// Not enough free disk for what is still to download.
    case insufficientSpace(folder: String, needed: Int64, available: Int64)
    /// A cache folder, blob, symlink or ref could not be written.
    case fileSystem(path: String, reason: String)
    /// A sharded checkpoint's `model.safetensors.index.json` cannot be followed (ShardedDownload.swift).
    case badIndex(file: String, problem: String)

    /// The message in the learner's language (the values — paths, repository ids, the server's words — as they are).
    public var description: String {
        switch self {
        case .unreachable(let endpoint, let repo, let reason):
            if endpoint.contains("modelscope") {     // chosen because huggingface.co is out of reach: its own advice
                return Learner.text("""
                    cannot reach \(endpoint) (\(reason)). HINT: check the network, or leave out --source modelscope to \
                    download from Hugging Face (or a mirror: HF_ENDPOINT, see docs/MODELS.md). Without network: on a \
                    machine with access run `pip install modelscope` and `modelscope download --model \(repo)`, copy the \
                    folder it prints to this machine, then run with `--model PATH`.
                    """, """
                    连不上 \(endpoint)（\(reason)）。HINT：检查网络，或去掉 --source modelscope 改从 Hugging Face 下载\
                    （也可用镜像：HF_ENDPOINT，见 docs/MODELS.md）。没有网络时：在能联网的机器上运行 `pip install modelscope` \
                    和 `modelscope download --model \(repo)`，把它打印的文件夹拷到这台机器，再用 `--model 路径` 运行。
                    """)
            }
            let folder = HubCache.repoFolderName(repo)
            return Learner.text("""
                cannot reach \(endpoint) (\(reason)). HINT: check the network, or set HF_ENDPOINT to a mirror you can \
                reach (see docs/MODELS.md), or add --source modelscope to download from ModelScope. \
                Without network: on a machine with access run `huggingface-cli download \(repo)`, copy the folder it \
                prints (or the whole ~/.cache/huggingface/hub/\(folder)) to this machine, then run with `--model PATH` \
                or put it in the same place under your Hugging Face cache.
                """, """
                连不上 \(endpoint)（\(reason)）。HINT：检查网络，或把 HF_ENDPOINT 设为一个连得上的镜像（见 docs/MODELS.md），\
                或加上 --source modelscope 从魔搭 ModelScope 下载。没有网络时：在能联网的机器上运行 \
                `huggingface-cli download \(repo)`，把它打印的文件夹（或整个 ~/.cache/huggingface/hub/\(folder)）\
                拷到这台机器，再用 `--model 路径` 运行，或放到本机 Hugging Face 缓存的同一位置。
                """)
        case .repositoryNotFound(let repo, let endpoint, let tokenSent):
            return Learner.text(
                "repository \(repo) was not found on \(endpoint). HINT: check the spelling (ORG/NAME, e.g. "
                    + "baidu/ERNIE-4.5-0.3B-PT)" + (tokenSent ? "; if it is private, check that your HF_TOKEN may read it."
                                                        : "; if it is private or gated, set HF_TOKEN to a token that may read it."),
                "在 \(endpoint) 上找不到仓库 \(repo)。HINT：检查拼写（ORG/NAME，例如 baidu/ERNIE-4.5-0.3B-PT）"
                    + (tokenSent ? "；如果它是私有的，确认你的 HF_TOKEN 有读取权限。" : "；如果它是私有或受限的，把 HF_TOKEN 设为有读取权限的令牌。"))
        case .revisionNotFound(let repo, let revision):
            return Learner.text(
                "repository \(repo) has no revision \"\(revision)\". HINT: use a branch, tag or commit hash that "
                    + "exists (the default is main), or drop --revision.",
                "仓库 \(repo) 没有版本 \"\(revision)\"。HINT：用一个存在的分支、标签或提交哈希（默认是 main），或去掉 --revision。")
        case .fileNotFound(let repo, let revision, let file):
            return Learner.text(
                "\(repo) at \(revision) has no file \(file). HINT: the repository's file list changed; "
                    + "run `lmlab download \(repo)` without naming files, or update Models/catalog.json.",
                "\(repo) 的 \(revision) 版本里没有文件 \(file)。HINT：仓库的文件列表变了；不指定文件运行 "
                    + "`lmlab download \(repo)`，或更新 Models/catalog.json。")
        case .accessDenied(let repo, let status, let tokenSent, let serverMessage):
            let detail = serverMessage.map { Learner.text(" (\($0))", "（\($0)）") } ?? ""
            if tokenSent {
                return Learner.text(
                    "HTTP \(status): access to \(repo) was refused\(detail). HINT: the repository is gated or private; "
                        + "accept its terms on its Hub page with the account of your HF_TOKEN, or use a token with read access.",
                    "HTTP \(status)：拒绝访问 \(repo)\(detail)。HINT：这个仓库受限或私有；用你 HF_TOKEN 所属的账号在它的 Hub "
                        + "页面上接受条款，或换一个有读取权限的令牌。")
            }
            return Learner.text(
                "HTTP \(status): \(repo) needs authentication\(detail). HINT: the repository is gated or private; "
                    + "create a read token in your Hub account settings and run `export HF_TOKEN=hf_…`, then try again.",
                "HTTP \(status)：\(repo) 需要身份验证\(detail)。HINT：这个仓库受限或私有；在 Hub 账号设置里创建一个读取令牌，"
                    + "运行 `export HF_TOKEN=hf_…` 后再试。")
        case .httpStatus(let url, let status, let serverMessage):
            return Learner.text(
                "HTTP \(status) from \(url)\(serverMessage.map { " (\($0))" } ?? ""). HINT: try again later; "
                    + "if it persists, the endpoint (HF_ENDPOINT) may not be a Hugging Face Hub.",
                "\(url) 返回 HTTP \(status)\(serverMessage.map { "（\($0)）" } ?? "")。HINT：稍后再试；"
                    + "如果一直这样，这个地址（HF_ENDPOINT）可能不是 Hugging Face Hub。")
        case .badResponse(let url, let problem):
            return Learner.text(
                "unexpected answer from \(url): \(problem). HINT: HF_ENDPOINT must point at a Hugging Face Hub "
                    + "or a mirror of its API.",
                "\(url) 的回答不对：\(problem)。HINT：HF_ENDPOINT 必须指向 Hugging Face Hub 或其 API 的镜像。")
        case .interrupted(let file, let received, let expected, let reason):
            let of = expected.map { " of \($0)" } ?? ""
            return Learner.text(
                "the download of \(file) broke after \(received)\(of) bytes (\(reason)). HINT: run the same "
                    + "command again: it resumes from the .incomplete file.",
                "下载 \(file) 时在第 \(received)\(expected.map { " / \($0)" } ?? "") 字节中断（\(reason)）。"
                    + "HINT：再运行同一条命令：它会从 .incomplete 文件接着下载。")
        case .checksumMismatch(let file, let expected, let actual):
            return Learner.text(
                "\(file): SHA-256 \(actual) does not match the Hub's \(expected), twice. HINT: the mirror or a "
                    + "proxy is changing the bytes; try another HF_ENDPOINT, or download it elsewhere and copy the folder.",
                "\(file)：SHA-256 \(actual) 与 Hub 给出的 \(expected) 不符，两次都是。HINT：镜像或代理改动了字节；"
                    + "换一个 HF_ENDPOINT，或在别处下载后拷贝文件夹。")
        case .wrongLength(let file, let source, let expected, let received, let attempts):
            let tries = Learner.text("after \(attempts) attempt" + (attempts == 1 ? "" : "s"), "试了 \(attempts) 次")
            let elsewhere = Learner.text("set HF_ENDPOINT to another mirror, or unset it to use https://huggingface.co.",
                                         "把 HF_ENDPOINT 设为另一个镜像，或取消它以使用 https://huggingface.co。")
            if received > expected {
                return Learner.text(
                    "\(file): \(source) sent more bytes than the \(expected) its listing gives (\(received) when lmlab "
                        + "stopped reading, \(tries)); nothing past the bytes asked for was kept. HINT: the mirror serves "
                        + "another version of the file: ",
                    "\(file)：\(source) 发来的字节多于列表给出的 \(expected)（lmlab 停止读取时为 \(received)，\(tries)）；"
                        + "超出所请求的字节一个也没有保留。HINT：这个镜像提供的是该文件的另一个版本：") + elsewhere
            }
            return Learner.text(
                "\(file): \(source) lists \(expected) bytes but sent only \(received) (\(tries)). HINT: run the "
                    + "command again to resume from byte \(received); if it stops there again, the mirror serves a truncated "
                    + "copy: ",
                "\(file)：\(source) 列出 \(expected) 字节，却只发来 \(received)（\(tries)）。HINT：再运行命令，"
                    + "从第 \(received) 字节接着下载；如果又停在那里，说明镜像提供的是截断的副本：") + elsewhere
        case .invalidRevision(let revision, let problem):
            return Learner.text(
                "revision \(HubError.shown(revision)): \(problem). HINT: give --revision a branch, tag or commit hash as "
                    + "the Hub names them (main, v1.0, refs/pr/1, or 40 hex digits); a revision cannot be a path.",
                "版本 \(HubError.shown(revision))：\(problem)。HINT：--revision 要用 Hub 里的分支、标签或提交哈希"
                    + "（main、v1.0、refs/pr/1 或 40 位十六进制数）；版本不能是路径。")
        case .invalidRepository(let repo, let problem):
            return Learner.text(
                "repository \(HubError.shown(repo)): \(problem). HINT: a Hub repository is ORG/NAME in letters, digits, "
                    + "'-', '_' and '.', e.g. baidu/ERNIE-4.5-0.3B-PT.",
                "仓库 \(HubError.shown(repo))：\(problem)。HINT：Hub 仓库写作 ORG/NAME，只含字母、数字、'-'、'_' 和 '.'，"
                    + "例如 baidu/ERNIE-4.5-0.3B-PT。")
        case .outsideCache(let path, let folder, let reason):
            return Learner.text(
                "refusing to write \(HubError.shown(path, limit: 4096)): it would leave \(folder) (\(reason)); nothing was "
                    + "written. HINT: the server's listing or the revision names a path outside the Hugging Face cache; use "
                    + "another HF_ENDPOINT, and if a folder inside the cache is a symbolic link, replace it with a real folder.",
                "拒绝写入 \(HubError.shown(path, limit: 4096))：它会跑出 \(folder)（\(reason)）；什么也没有写。HINT：服务器的"
                    + "列表或版本指向 Hugging Face 缓存之外的路径；换一个 HF_ENDPOINT；如果缓存里某个文件夹是符号链接，把它换成真正的文件夹。")
        case .insufficientSpace(let folder, let needed, let available):
            return Learner.text(
                "not enough disk space in \(folder): \(ByteCount.format(needed)) to download, "
                    + "\(ByteCount.format(available)) free. HINT: free some space, or set HF_HUB_CACHE to a folder on a "
                    + "larger disk.",
                "\(folder) 的磁盘空间不够：要下载 \(ByteCount.format(needed))，只剩 \(ByteCount.format(available))。"
                    + "HINT：腾出一些空间，或把 HF_HUB_CACHE 设为更大磁盘上的文件夹。")
        case .fileSystem(let path, let reason):
            return Learner.text(
                "cannot write \(path) (\(reason)). HINT: check that the folder exists and is writable, or set "
                    + "HF_HUB_CACHE to a writable folder.",
                "无法写入 \(path)（\(reason)）。HINT：确认文件夹存在且可写，或把 HF_HUB_CACHE 设为一个可写的文件夹。")
        case .badIndex(let file, let problem):
            return Learner.text(
                "\(file): \(problem); no shard was downloaded. HINT: the index names the weight shards to fetch and "
                    + "this one does not fit the repository (a broken or hostile mirror): set HF_ENDPOINT to another mirror, "
                    + "or unset it to use https://huggingface.co.",
                "\(file)：\(problem)；没有下载任何分片。HINT：索引列出要取的权重分片，而这个索引与仓库对不上（镜像坏了或不可信）："
                    + "把 HF_ENDPOINT 设为另一个镜像，或取消它以使用 https://huggingface.co。")
        }
    }
}

extension HubError {
    /// A server's or a user's string as it may appear in a message: quoted, control characters escaped, at most
    /// `limit` characters (a hostile value cannot move the cursor or flood the terminal).
    static func shown(_ text: String, limit: Int = 120) -> String {
        let cut = text.count > limit ? String(text.prefix(limit)) : text
        return cut.debugDescription + (cut.count < text.count ? "…" : "")
    }
}

/// Human-readable byte counts in SI units, as the Hub shows them: 742 B, 23.1 kB, 721.5 MB, 1.2 GB.
public enum ByteCount {
    public static func format(_ bytes: Int64) -> String {
        if bytes < 1000 { return "\(bytes) B" }
        let units = ["kB", "MB", "GB", "TB", "PB"]
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 999.95 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return String(format: "%.1f", value) + " " + units[unit]
    }
}
