import Foundation

/// Counters for `/metrics`, in Prometheus text format: requests and their latencies per route
/// and status, assessments served, imports run.
public final class ServiceMetrics: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [String: Int] = [:]
    private var latencyBuckets: [String: [Int]] = [:]
    private var latencySums: [String: Double] = [:]
    private var latencyCounts: [String: Int] = [:]
    private var counters: [String: Int] = [:]
    static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    public init() {}

    func recordRequest(method: String, route: String, status: Int, seconds: Double) {
        let labels = "method=\"\(method)\",route=\"\(Self.escaped(route))\""
        lock.lock()
        defer { lock.unlock() }
        requests["\(labels),status=\"\(status)\"", default: 0] += 1
        var buckets = latencyBuckets[labels] ?? Array(repeating: 0, count: Self.bounds.count)
        for (index, bound) in Self.bounds.enumerated() where seconds <= bound { buckets[index] += 1 }
        latencyBuckets[labels] = buckets
        latencySums[labels, default: 0] += seconds
        latencyCounts[labels, default: 0] += 1
    }

    public func count(_ name: String, by amount: Int = 1) {
        lock.lock()
        counters[name, default: 0] += amount
        lock.unlock()
    }

    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        var lines = ["# HELP creditrisk_http_requests_total HTTP requests by route and status.", "# TYPE creditrisk_http_requests_total counter"]
        lines += requests.keys.sorted().map { "creditrisk_http_requests_total{\($0)} \(requests[$0]!)" }
        lines += ["# HELP creditrisk_http_request_duration_seconds Request latency.", "# TYPE creditrisk_http_request_duration_seconds histogram"]
        for labels in latencyBuckets.keys.sorted() {
            let buckets = latencyBuckets[labels]!
            for (index, bound) in Self.bounds.enumerated() {
                lines.append("creditrisk_http_request_duration_seconds_bucket{\(labels),le=\"\(bound)\"} \(buckets[index])")
            }
            lines.append("creditrisk_http_request_duration_seconds_bucket{\(labels),le=\"+Inf\"} \(latencyCounts[labels]!)")
            lines.append("creditrisk_http_request_duration_seconds_sum{\(labels)} \(latencySums[labels]!)")
            lines.append("creditrisk_http_request_duration_seconds_count{\(labels)} \(latencyCounts[labels]!)")
        }
        for name in counters.keys.sorted() {
            lines += ["# TYPE creditrisk_\(name)_total counter", "creditrisk_\(name)_total \(counters[name]!)"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
