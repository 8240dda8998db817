import Foundation
import WaymarkCore

/// The relay over `URLSession`. The core calls `send` on the core actor and
/// waits for the answer, so it blocks until the task ends. It follows no
/// redirect (a 3xx goes back to the core as it came), times out, reads
/// `Retry-After`, and stops reading an answer past `maxBody` bytes: the relay
/// is untrusted.
public final class URLSessionTransport: NSObject, HttpTransport, URLSessionDataDelegate, @unchecked Sendable {
    private let maxBody: Int
    private let timeout: TimeInterval
    private let lock = NSLock()
    private var received: [Int: Data] = [:]
    private var overflowed: Set<Int> = []
    private lazy var session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 2
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }()

    public init(timeout: TimeInterval = 30, maxBody: Int = 16 * 1024 * 1024) {
        self.timeout = timeout
        self.maxBody = maxBody
    }

    public func send(request: HttpRequest) throws -> HttpResponse {
        guard let url = URL(string: request.url) else { throw TransportError.Unreachable(reason: "not an address: \(request.url)") }
        var outgoing = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        outgoing.httpMethod = request.method
        outgoing.setValue("Bearer \(request.bearerToken)", forHTTPHeaderField: "Authorization")
        if request.method == "PUT" || request.method == "POST" {
            outgoing.httpBody = request.body
            outgoing.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        }
        let done = DispatchSemaphore(value: 0)
        var outcome: (URLResponse?, Error?) = (nil, nil)
        let task = session.dataTask(with: outgoing)
        onFinish(task.taskIdentifier) { response, error in
            outcome = (response, error)
            done.signal()
        }
        task.resume()
        done.wait()
        let body = take(task.taskIdentifier)
        if let error = outcome.1 {
            if body.overflowed { throw TransportError.Unreachable(reason: "the relay's answer is over \(maxBody) bytes") }
            if (error as? URLError)?.code == .timedOut { throw TransportError.Timeout(reason: "the relay did not answer within \(Int(timeout)) s") }
            throw TransportError.Unreachable(reason: error.localizedDescription)
        }
        guard let http = outcome.0 as? HTTPURLResponse else { throw TransportError.Unreachable(reason: "not an HTTP answer") }
        let retryAfter = URLSessionTransport.retryAfterSeconds(http.value(forHTTPHeaderField: "Retry-After"), now: Date())
        return HttpResponse(status: UInt16(clamping: http.statusCode), body: body.data, retryAfterSeconds: retryAfter)
    }

    /// `Retry-After` as seconds: a number or an HTTP date (RFC 9110 §10.2.3); anything else is ignored.
    public static func retryAfterSeconds(_ header: String?, now: Date) -> UInt32? {
        guard let value = header?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = UInt32(value) { return seconds }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = format.date(from: value) else { return nil }
        return UInt32(clamping: max(0, Int(date.timeIntervalSince(now).rounded(.down))))
    }

    // MARK: the session's delegate

    private var callbacks: [Int: (URLResponse?, Error?) -> Void] = [:]

    private func onFinish(_ id: Int, _ callback: @escaping (URLResponse?, Error?) -> Void) {
        lock.withLock { callbacks[id] = callback }
    }

    private func take(_ id: Int) -> (data: Data, overflowed: Bool) {
        lock.withLock {
            defer { received[id] = nil; overflowed.remove(id) }
            return (received[id] ?? Data(), overflowed.contains(id))
        }
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                           newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let tooLarge: Bool = lock.withLock {
            var sofar = received[dataTask.taskIdentifier] ?? Data()
            if sofar.count + data.count > maxBody {
                overflowed.insert(dataTask.taskIdentifier)
                return true
            }
            sofar.append(data)
            received[dataTask.taskIdentifier] = sofar
            return false
        }
        if tooLarge { dataTask.cancel() }
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        let callback = lock.withLock { callbacks.removeValue(forKey: task.taskIdentifier) }
        callback?(task.response, error)
    }
}
