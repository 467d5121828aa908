import Hummingbird
import Storage

/// `GET /healthz`: 200 `{"status":"ok"}` when `SELECT 1` answers, 503 `{"status":"unavailable"}` otherwise.
public struct HealthController: Sendable {
    let probe: DatabaseProbe

    public init(probe: DatabaseProbe) {
        self.probe = probe
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz") { _, context in
            let reachable = await probe.checkConnection(logger: context.logger)
            let body = reachable ? #"{"status":"ok"}"# : #"{"status":"unavailable","database":"unreachable"}"#
            return Response(
                status: reachable ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
    }
}
