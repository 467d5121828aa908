import Storage
import Testing

@Suite("DATABASE_URL parsing")
struct DatabaseConfigurationTests {
    @Test("TCP URL with password and port")
    func tcpURL() throws {
        let configuration = try DatabaseConfiguration(url: "postgres://app:s%40cret@db.example:6543/sightline")
        #expect(configuration.clientConfiguration.host == "db.example")
        #expect(configuration.clientConfiguration.port == 6543)
        #expect(configuration.clientConfiguration.username == "app")
        #expect(configuration.clientConfiguration.password == "s@cret")
        #expect(configuration.clientConfiguration.database == "sightline")
        #expect(!configuration.redactedURL.contains("cret"))
    }

    @Test("unix socket URL in libpq style")
    func socketURL() throws {
        let configuration = try DatabaseConfiguration(url: "postgres://postgres@/sightline?host=/tmp/run&port=55433")
        #expect(configuration.clientConfiguration.unixSocketPath == "/tmp/run/.s.PGSQL.55433")
        #expect(configuration.clientConfiguration.database == "sightline")
    }

    @Test("search_path becomes a startup parameter")
    func searchPath() throws {
        let configuration = try DatabaseConfiguration(url: "postgres://u@localhost/db").withSearchPath("test_abc")
        let parameters = configuration.clientConfiguration.options.additionalStartupParameters
        #expect(parameters.contains { $0.0 == "search_path" && $0.1 == "test_abc" })
    }

    @Test("bad URLs are refused with a message")
    func badURLs() {
        #expect(throws: StorageError.self) { try DatabaseConfiguration(url: "mysql://u@h/db") }
        #expect(throws: StorageError.self) { try DatabaseConfiguration(url: "postgres:///db") }
        #expect(throws: StorageError.self) { try DatabaseConfiguration.fromEnvironment([:]) }
    }
}
