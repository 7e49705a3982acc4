// HubClient — the two Hugging Face Hub requests the lab needs, over Foundation's URLSession.
//
//   GET {endpoint}/api/models/{repo}/revision/{rev}?blobs=true
//       → {"sha": "<commit>", "siblings": [{"rfilename": "model.safetensors", "size": …, "blobId": "<git sha1>",
//           "lfs": {"sha256": "<hex>", "size": …, "pointerSize": …}}, …]}          (huggingface_hub ModelInfo)
//   GET {endpoint}/{repo}/resolve/{commit}/{file}   [Range: bytes=N-]
//       → the bytes, often after a 302 to a CDN; large files are answered 206 to a Range request.
//
// The endpoint is `--endpoint`, else $HF_ENDPOINT (a mirror), else https://huggingface.co. The token is $HF_TOKEN,
// else the file huggingface-cli login writes ($HF_TOKEN_PATH, else $HF_HOME/token, else
// ~/.cache/huggingface/token); it is sent as `Authorization: Bearer …` to the endpoint's host only, never to the
// CDN a file redirects to (as huggingface_hub does).
// Bodies are streamed through a URLSessionDataDelegate, chunk by chunk, so progress and hashing happen as bytes
// arrive (this works on Linux's FoundationNetworking as on macOS).

import Foundation
import LabCore
import ModelFiles
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where the Hub is and who is asking.
public struct HubEndpoint: Sendable, Equatable {
    /// e.g. https://huggingface.co, or a mirror; never ends in "/".
    public var url: URL
    /// A Hugging Face access token, or nil for anonymous requests.
    public var token: String?
    /// The API the endpoint speaks (ModelScope.swift).
    public var source: HubSource

    public static let defaultURL = URL(string: "https://huggingface.co")!

    public init(url: URL, token: String? = nil, source: HubSource = .huggingface) {
        var s = url.absoluteString
        while s.hasSuffix("/") { s.removeLast() }
        self.url = URL(string: s) ?? url
        self.token = token
        self.source = source
    }

    /// `override` (from `--endpoint`) › $HF_ENDPOINT › https://huggingface.co; token from $HF_TOKEN or the token file.
    public static func fromEnvironment(_ environment: [String: String] = LabEnvironment.current,
                                       override: String? = nil) -> HubEndpoint {
        let text = override ?? environment["HF_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
        let url = text.flatMap { URL(string: $0) } ?? defaultURL
        return HubEndpoint(url: url, token: token(environment: environment))
    }

    /// $HF_TOKEN › $HUGGING_FACE_HUB_TOKEN › the contents of $HF_TOKEN_PATH › $HF_HOME/token ›
    /// ~/.cache/huggingface/token (huggingface_hub's order).
    public static func token(environment: [String: String]) -> String? {
        func nonEmpty(_ s: String?) -> String? {
            guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
            return t
        }
        if let t = nonEmpty(environment["HF_TOKEN"]) ?? nonEmpty(environment["HUGGING_FACE_HUB_TOKEN"]) { return t }
        let hfHome = ModelLocator.hfHome(environment: environment, home: UserHome.path(environment: environment)).url
        let path = nonEmpty(environment["HF_TOKEN_PATH"]).map { UserHome.expandingTilde($0, environment: environment) }
            ?? hfHome.appendingPathComponent("token").path
        return nonEmpty(try? String(contentsOfFile: path, encoding: .utf8))
    }
}

/// One file of a repository as the API lists it.
public struct HubSibling: Equatable, Sendable {
    /// Path inside the repository ("config.json", "sub/file.bin").
    public var path: String
    /// Size in bytes (for LFS files, of the real file, not the pointer). Nil when the listing has no size.
    public var size: Int64?
    /// The git blob id (the ETag of non-LFS files).
    public var blobId: String?
    /// The LFS object id: SHA-256 of the file's bytes, 64 hex digits. Nil for files kept in git itself.
    public var lfsSHA256: String?

    public init(path: String, size: Int64?, blobId: String?, lfsSHA256: String?) {
        self.path = path; self.size = size; self.blobId = blobId; self.lfsSHA256 = lfsSHA256
    }

    /// The blob's name in the cache: what huggingface_hub uses as ETag (sha256 for LFS, the git blob id otherwise).
    public var blobName: String? { lfsSHA256 ?? blobId }
}

/// A repository at one commit.
public struct HubRepoInfo: Equatable, Sendable {
    public var repo: String
    /// The commit the requested revision resolved to (the API's `sha`).
    public var commit: String
    public var siblings: [HubSibling]
    /// The revision files are fetched by: the commit on the Hugging Face Hub; on ModelScope the revision asked for.
    public var fileRevision: String

    public init(repo: String, commit: String, siblings: [HubSibling], fileRevision: String? = nil) {
        self.repo = repo; self.commit = commit; self.siblings = siblings; self.fileRevision = fileRevision ?? commit
    }
}

/// Runs Hub requests. Each call blocks its caller until the answer is in (the CLI is synchronous).
public final class HubClient: @unchecked Sendable {
    public let endpoint: HubEndpoint
    /// Seconds without any byte before a request fails (URLSession's `timeoutIntervalForRequest`).
    public let idleTimeout: TimeInterval

    /// Repository ids on this endpoint for the ids the cache keeps them under, where they differ (ModelScope's
    /// PaddlePaddle/ERNIE-4.5-0.3B-PT is the Hub's baidu/ERNIE-4.5-0.3B-PT: one model, one cache folder).
    public let remoteRepos: [String: String]

    public init(endpoint: HubEndpoint, idleTimeout: TimeInterval = 60, remoteRepos: [String: String] = [:]) {
        self.endpoint = endpoint
        self.idleTimeout = idleTimeout
        self.remoteRepos = remoteRepos
    }

    /// The repository as an error names it: its ModelScope name when fetched from there (the offline advice is
    /// `modelscope download --model PaddlePaddle/…`), else the Hub's.
    func messageRepo(_ repo: String) -> String { endpoint.source == .modelscope ? remoteRepos[repo] ?? repo : repo }

    /// `{endpoint}/api/models/{repo}/revision/{rev}?blobs=true`; the revision is one path segment ("/" → %2F).
    public func infoURL(repo: String, revision: String) -> URL {
        let repo = remoteRepos[repo] ?? repo
        if endpoint.source == .modelscope { return modelScopeListingURL(repo: repo, revision: revision) }
        return URL(string: endpoint.url.absoluteString + "/api/models/\(repo)/revision/\(HubClient.segment(revision))?blobs=true")!
    }

    /// `{endpoint}/{repo}/resolve/{rev}/{file}`, each path segment of `file` percent-encoded.
    public func resolveURL(repo: String, revision: String, file: String) -> URL {
        let repo = remoteRepos[repo] ?? repo
        if endpoint.source == .modelscope { return modelScopeFileURL(repo: repo, revision: revision, file: file) }
        let path = file.split(separator: "/").map { HubClient.segment(String($0)) }.joined(separator: "/")
        return URL(string: endpoint.url.absoluteString + "/\(repo)/resolve/\(HubClient.segment(revision))/\(path)")!
    }

    static func segment(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// Lists a repository's files at a revision, with sizes and hashes.
    ///
    /// - Throws: `HubError` (unreachable, repository/revision not found, access denied, bad response).
    public func repoInfo(repo: String, revision: String) throws -> HubRepoInfo {
        let url = infoURL(repo: repo, revision: revision)
        var body = Data()
        let response: Response
        do {
            response = try perform(url: url, range: nil, repo: repo) { chunk in
                guard body.count + chunk.count <= HubClient.maxListingBytes else {
                    throw HubError.badResponse(url: url.absoluteString, problem: "the listing is larger than "
                                               + ByteCount.format(Int64(HubClient.maxListingBytes)))
                }
                body.append(chunk)
            }
        } catch let failure as TransportFailure {
            throw failure.unreachable(repo: messageRepo(repo))
                ?? HubError.unreachable(endpoint: failure.origin, repo: messageRepo(repo), reason: HubClient.explain(failure.error))
        }
        guard response.status == 200 else {
            throw classify(status: response.status, headers: response.headers, repo: repo, revision: revision,
                           file: nil, url: url)
        }
        if endpoint.source == .modelscope {
            return try HubClient.decodeModelScopeListing(body, repo: repo, revision: revision, url: url)
        }
        return try HubClient.decodeRepoInfo(body, repo: repo, url: url)
    }

    /// A listing longer than this is refused (the Hub's largest repositories list a few MB).
    static let maxListingBytes = 64 << 20
    /// A listed size above this is refused as absurd: 1 TiB, 20 times the Hub's 50 GB per-file limit.
    public static let maxFileSize: Int64 = 1 << 40

    /// Parses the JSON of `/api/models/…/revision/…`. Everything in it is checked before it is used: the commit is
    /// 40 hex digits (it becomes a folder name), sizes are whole numbers from 0 to `maxFileSize`, file names are
    /// strings listed once. Whether a file name is a safe path is the downloader's check, for the files it takes.
    static func decodeRepoInfo(_ data: Data, repo: String, url: URL) throws -> HubRepoInfo {
        func bad(_ problem: String) -> HubError { .badResponse(url: url.absoluteString, problem: problem) }
        guard let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw bad("the body is not a JSON object")
        }
        guard let shaValue = top["sha"] else { throw bad("no \"sha\" (commit) in the answer") }
        guard let sha = shaValue as? String, HubCache.isCommitHash(sha) else {
            throw bad("field \"sha\" must be a commit id of 40 lowercase hex digits, found "
                      + ((shaValue as? String).map { HubError.shown($0) } ?? "the non-string \(String("\(shaValue)".prefix(60)))"))
        }
        guard let list = top["siblings"] as? [[String: Any]] else {
            throw bad("no \"siblings\" (file list) in the answer")
        }
        /// nil when absent; a whole number in 0...maxFileSize, else the listing is refused.
        func size(_ value: Any?, _ field: String, _ path: String) throws -> Int64? {
            guard let value, !(value is NSNull) else { return nil }
            guard let number = value as? NSNumber else {
                throw bad("\(field) of \(HubError.shown(path)) is not a number")
            }
            let d = number.doubleValue
            guard d >= 0, d <= Double(maxFileSize), d == d.rounded() else {
                throw bad("\(field) of \(HubError.shown(path)) is \(number), not a size from 0 to "
                          + "\(maxFileSize) bytes (1 TiB)")
            }
            return number.int64Value
        }
        var siblings: [HubSibling] = []
        var seen = Set<String>()
        for item in list {
            guard let path = item["rfilename"] as? String else { throw bad("a sibling has no \"rfilename\"") }
            guard seen.insert(path).inserted else { throw bad("\(HubError.shown(path)) is listed twice") }
            let lfs = item["lfs"] as? [String: Any]
            let listed = try size(item["size"], "\"size\"", path)
            let lfsSize = try size(lfs?["size"], "\"lfs.size\"", path)
            siblings.append(HubSibling(path: path, size: lfsSize ?? listed,
                                       blobId: item["blobId"] as? String, lfsSHA256: lfs?["sha256"] as? String))
        }
        return HubRepoInfo(repo: repo, commit: sha, siblings: siblings)
    }

    /// Maps an HTTP failure to the `HubError` that explains it, reading the Hub's X-Error-Code header.
    func classify(status: Int, headers: [String: String], repo: String, revision: String, file: String?,
                  url: URL) -> HubError {
        let code = headers["x-error-code"]
        let message = headers["x-error-message"].map { HubError.shown($0, limit: 300) }   // the server's words, escaped
        let tokenSent = endpoint.token != nil
        switch code {
        case "RepoNotFound": return .repositoryNotFound(repo: repo, endpoint: endpoint.url.absoluteString, tokenSent: tokenSent)
        case "RevisionNotFound": return .revisionNotFound(repo: repo, revision: revision)
        case "EntryNotFound": return .fileNotFound(repo: repo, revision: revision, file: file ?? "?")
        case "GatedRepo": return .accessDenied(repo: repo, status: status, tokenSent: tokenSent, serverMessage: message)
        default: break
        }
        switch status {
        case 401, 403: return .accessDenied(repo: repo, status: status, tokenSent: tokenSent, serverMessage: message)
        case 404:
            if let file { return .fileNotFound(repo: repo, revision: revision, file: file) }
            // Without a code a 404 on the listing cannot tell repository from revision: the message says both.
            return revision == endpoint.source.defaultRevision
                ? .repositoryNotFound(repo: repo, endpoint: endpoint.url.absoluteString, tokenSent: tokenSent)
                : .revisionNotFound(repo: repo, revision: revision)
        default: return .httpStatus(url: url.absoluteString, status: status, serverMessage: message)
        }
    }

    // MARK: Transport

    /// Status and lower-cased headers of the final response (after redirects).
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
    }

    /// Thrown out of `perform` when the connection fails; `received` bytes were delivered before it did.
    struct TransportFailure: Error {
        var error: URLError
        var received: Int64
        /// True when no connection was made at all (DNS, refused, offline, timeout before an answer).
        var neverConnected: Bool
        /// scheme://host[:port] of the server that failed (after redirects: possibly the CDN, not the endpoint).
        var origin: String

        /// The learner-facing error: unreachable when nothing ever answered, else nil (the caller decides).
        func unreachable(repo: String) -> HubError? {
            neverConnected ? .unreachable(endpoint: origin, repo: repo, reason: HubClient.explain(error)) : nil
        }
    }

    /// "scheme://host[:port]" of a URL, for messages.
    static func origin(_ url: URL) -> String {
        guard let host = url.host else { return url.absoluteString }
        return "\(url.scheme ?? "https")://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }

    /// Sends one GET, streaming the body of a 2xx answer to `onData`; other bodies are dropped.
    /// Redirects are followed; the Authorization header goes only to the endpoint's host and port.
    ///
    /// - Throws: `TransportFailure` when the connection could not be made or broke, what `onResponse` or `onData`
    ///   throw, or `HubError.badResponse`.
    func perform(url: URL, range: (first: Int64, last: Int64?)?, repo: String, onResponse: ((Response) throws -> Void)? = nil,
                 onData: @escaping (Data) throws -> Void) throws -> Response {
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        request.setValue("lmlab/0.1; hf_hub-compatible", forHTTPHeaderField: "User-Agent")
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        if let range { request.setValue("bytes=\(range.first)-" + (range.last.map(String.init) ?? ""), forHTTPHeaderField: "Range") }
        if let token = endpoint.token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }

        let stream = StreamingRequest(endpoint: endpoint.url, onResponse: onResponse, onData: onData)
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = idleTimeout
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.urlCache = nil
        let session = URLSession(configuration: config, delegate: stream, delegateQueue: nil)
        session.dataTask(with: request).resume()
        stream.done.wait()
        session.finishTasksAndInvalidate()

        if let thrown = stream.thrown { throw thrown }
        if let error = stream.transportError {
            throw TransportFailure(error: error, received: stream.received,
                                   neverConnected: stream.response == nil && HubClient.isUnreachable(error),
                                   origin: HubClient.origin(stream.currentURL ?? url))
        }
        guard let response = stream.response else {
            throw HubError.badResponse(url: url.absoluteString, problem: "the connection closed without an answer")
        }
        return response
    }

    /// Errors that mean "no connection at all": the learner needs the offline route, not a retry.
    static func isUnreachable(_ error: URLError) -> Bool {
        switch error.code {
        case .cannotFindHost, .dnsLookupFailed, .cannotConnectToHost, .notConnectedToInternet,
             .timedOut, .networkConnectionLost, .secureConnectionFailed, .internationalRoamingOff,
             .dataNotAllowed, .callIsActive:
            return true
        default: return false
        }
    }

    /// A short reason in words for a URLError.
    static func explain(_ error: URLError) -> String {
        switch error.code {
        case .cannotFindHost, .dnsLookupFailed:
            return Learner.text("DNS lookup failed: the host name is unknown or there is no network", "DNS 查询失败：主机名未知或没有网络")
        case .cannotConnectToHost: return Learner.text("connection refused", "连接被拒绝")
        case .notConnectedToInternet: return Learner.text("no network connection", "没有网络连接")
        case .timedOut: return Learner.text("timed out", "超时")
        case .networkConnectionLost: return Learner.text("the connection was lost", "连接断开了")
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate:
            return Learner.text("TLS handshake failed", "TLS 握手失败")
        default:
            let text = (error as NSError).localizedDescription
            return text.isEmpty || text == "(null)" ? "URLError \(error.code.rawValue)" : text
        }
    }
}

/// The delegate behind one streamed GET: collects the response, forwards bytes, re-signs redirects.
final class StreamingRequest: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let endpoint: URL
    let onResponse: ((HubClient.Response) throws -> Void)?
    let onData: (Data) throws -> Void
    let done = DispatchSemaphore(value: 0)
    var response: HubClient.Response?
    var received: Int64 = 0
    var thrown: Error?
    var transportError: URLError?
    /// Where the request is now, after redirects.
    var currentURL: URL?

    init(endpoint: URL, onResponse: ((HubClient.Response) throws -> Void)?, onData: @escaping (Data) throws -> Void) {
        self.endpoint = endpoint; self.onResponse = onResponse; self.onData = onData
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let http = response as? HTTPURLResponse else { completionHandler(.cancel); return }
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
        let r = HubClient.Response(status: http.statusCode, headers: headers)
        self.response = r
        do { try onResponse?(r) } catch { thrown = error; completionHandler(.cancel); return }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard thrown == nil, let status = response?.status, (200..<300).contains(status) else { return }
        do { try onData(data); received += Int64(data.count) } catch { thrown = error; dataTask.cancel() }
    }

    /// Keeps Range and the other headers on the redirected request; drops Authorization when leaving the endpoint.
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        currentURL = request.url
        guard let original = task.originalRequest, let target = request.url else { completionHandler(request); return }
        var next = original
        next.url = target
        let sameOrigin = target.host == endpoint.host && target.port == endpoint.port && target.scheme == endpoint.scheme
        if !sameOrigin { next.setValue(nil, forHTTPHeaderField: "Authorization") }
        completionHandler(next)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let error, thrown == nil {
            transportError = (error as? URLError) ?? URLError(URLError.Code(rawValue: (error as NSError).code) ?? .unknown)
        }
        done.signal()
    }
}
