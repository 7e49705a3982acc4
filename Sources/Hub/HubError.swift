// HubError — everything that stops `lmlab download`, each with a message that says what happened and what to do.
//
// The Hub tells "repository", "revision" and "file" apart only through its `X-Error-Code` response header
// (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo); a 401 without a code means the repository is private,
// gated or missing and no valid token was sent (huggingface_hub's `hf_raise_for_status` reads them the same way).
// When the Hub cannot be reached at all, the message names the manual way round: download on a machine that has
// access and copy the folder, or point `--model` at a folder.

import Foundation

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

    public var description: String {
        switch self {
        case .unreachable(let endpoint, let repo, let reason):
            return """
            cannot reach \(endpoint) (\(reason)). HINT: check the network, or set HF_ENDPOINT to a mirror you can \
            reach (see docs/MODELS.md). Without network: on a machine with access run \
            `huggingface-cli download \(repo)`, copy the folder it prints (or the whole \
            ~/.cache/huggingface/hub/\(HubCache.repoFolderName(repo))) to this machine, then run with \
            `--model PATH` or put it in the same place under your Hugging Face cache.
            """
        case .repositoryNotFound(let repo, let endpoint, let tokenSent):
            return "repository \(repo) was not found on \(endpoint). HINT: check the spelling (ORG/NAME, e.g. "
                + "baidu/ERNIE-4.5-0.3B-PT)" + (tokenSent ? "; if it is private, check that your HF_TOKEN may read it."
                                                    : "; if it is private or gated, set HF_TOKEN to a token that may read it.")
        case .revisionNotFound(let repo, let revision):
            return "repository \(repo) has no revision \"\(revision)\". HINT: use a branch, tag or commit hash that "
                + "exists (the default is main), or drop --revision."
        case .fileNotFound(let repo, let revision, let file):
            return "\(repo) at \(revision) has no file \(file). HINT: the repository's file list changed; "
                + "run `lmlab download \(repo)` without naming files, or update Models/catalog.json."
        case .accessDenied(let repo, let status, let tokenSent, let serverMessage):
            let detail = serverMessage.map { " (\($0))" } ?? ""
            if tokenSent {
                return "HTTP \(status): access to \(repo) was refused\(detail). HINT: the repository is gated or private; "
                    + "accept its terms on its Hub page with the account of your HF_TOKEN, or use a token with read access."
            }
            return "HTTP \(status): \(repo) needs authentication\(detail). HINT: the repository is gated or private; "
                + "create a read token in your Hub account settings and run `export HF_TOKEN=hf_…`, then try again."
        case .httpStatus(let url, let status, let serverMessage):
            return "HTTP \(status) from \(url)\(serverMessage.map { " (\($0))" } ?? ""). HINT: try again later; "
                + "if it persists, the endpoint (HF_ENDPOINT) may not be a Hugging Face Hub."
        case .badResponse(let url, let problem):
            return "unexpected answer from \(url): \(problem). HINT: HF_ENDPOINT must point at a Hugging Face Hub "
                + "or a mirror of its API."
        case .interrupted(let file, let received, let expected, let reason):
            let of = expected.map { " of \($0)" } ?? ""
            return "the download of \(file) broke after \(received)\(of) bytes (\(reason)). HINT: run the same "
                + "command again: it resumes from the .incomplete file."
        case .checksumMismatch(let file, let expected, let actual):
            return "\(file): SHA-256 \(actual) does not match the Hub's \(expected), twice. HINT: the mirror or a "
                + "proxy is changing the bytes; try another HF_ENDPOINT, or download it elsewhere and copy the folder."
        case .wrongLength(let file, let source, let expected, let received, let attempts):
            let tries = "after \(attempts) attempt" + (attempts == 1 ? "" : "s")
            if received > expected {
                return "\(file): \(source) sent more bytes than the \(expected) its listing gives (\(received) when lmlab "
                    + "stopped reading, \(tries)); nothing past the bytes asked for was kept. HINT: the mirror serves "
                    + "another version of the file: set HF_ENDPOINT to another mirror, or unset it to use "
                    + "https://huggingface.co."
            }
            return "\(file): \(source) lists \(expected) bytes but sent only \(received) (\(tries)). HINT: run the "
                + "command again to resume from byte \(received); if it stops there again, the mirror serves a truncated "
                + "copy: set HF_ENDPOINT to another mirror, or unset it to use https://huggingface.co."
        case .invalidRevision(let revision, let problem):
            return "revision \(HubError.shown(revision)): \(problem). HINT: give --revision a branch, tag or commit hash as "
                + "the Hub names them (main, v1.0, refs/pr/1, or 40 hex digits); a revision cannot be a path."
        case .invalidRepository(let repo, let problem):
            return "repository \(HubError.shown(repo)): \(problem). HINT: a Hub repository is ORG/NAME in letters, digits, "
                + "'-', '_' and '.', e.g. baidu/ERNIE-4.5-0.3B-PT."
        case .outsideCache(let path, let folder, let reason):
            return "refusing to write \(HubError.shown(path, limit: 4096)): it would leave \(folder) (\(reason)); nothing was written. "
                + "HINT: the server's listing or the revision names a path outside the Hugging Face cache; use another "
                + "HF_ENDPOINT, and if a folder inside the cache is a symbolic link, replace it with a real folder."
        case .insufficientSpace(let folder, let needed, let available):
            return "not enough disk space in \(folder): \(ByteCount.format(needed)) to download, "
                + "\(ByteCount.format(available)) free. HINT: free some space, or set HF_HUB_CACHE to a folder on a "
                + "larger disk."
        case .fileSystem(let path, let reason):
            return "cannot write \(path) (\(reason)). HINT: check that the folder exists and is writable, or set "
                + "HF_HUB_CACHE to a writable folder."
        case .badIndex(let file, let problem):
            return "\(file): \(problem); no shard was downloaded. HINT: the index names the weight shards to fetch and "
                + "this one does not fit the repository (a broken or hostile mirror): set HF_ENDPOINT to another mirror, "
                + "or unset it to use https://huggingface.co."
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
