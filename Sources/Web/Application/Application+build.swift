import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import PostgresNIO
import ServiceLifecycle
import Storage

/// Builds the Sightline web application.
///
/// - Parameters:
///   - configuration: settings (see `AppConfiguration.fromEnvironment`).
///   - client: an existing, already running PostgreSQL pool (tests); when `nil` one is made from
///     `configuration.databaseURL` and run as a service of the application.
///   - logger: the application logger (default: label `sightline` at `configuration.logLevel`).
public func buildApplication(
    configuration: AppConfiguration, client existingClient: PostgresClient? = nil, logger: Logger? = nil
) async throws -> some ApplicationProtocol {
    let logger = logger ?? {
        var logger = Logger(label: "sightline")
        logger.logLevel = configuration.logLevel
        return logger
    }()
    let client: PostgresClient
    if let existingClient {
        client = existingClient
    } else {
        guard let url = configuration.databaseURL else {
            throw ConfigurationError(variable: "DATABASE_URL", message: "is not set (scripts/serve sets it for you)")
        }
        let database = try DatabaseConfiguration(url: url)
        logger.info("database", metadata: ["url": "\(database.redactedURL)"])
        client = PostgresClient(configuration: database.clientConfiguration, backgroundLogger: logger)
    }
    let templates = try configuration.templatesDirectory ?? ResourceDirectory.templates.locatePath()
    let staticFiles = try configuration.staticDirectory ?? ResourceDirectory.staticFiles.locatePath()
    let views = try await ViewRenderer(directory: templates)
    let services = AppServices(client: client, views: views, configuration: configuration, logger: logger)
    let router = buildRouter(services: services, staticDirectory: staticFiles, logger: logger)

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        logger: logger
    )
    if existingClient == nil {
        app.addServices(client)
    }
    let scoringSettings = ScoringWorkerSettings.fromEnvironment()
    if scoringSettings.isEnabled {
        app.addServices(ScoringWorker(client: client, settings: scoringSettings, logger: logger))
    }
    app.addServices(BuiltInHeatmapWorker(client: client, service: services.builtInHeatmaps, logger: logger))
    if configuration.migrateOnStart {
        app.beforeServerStarts {
            let applied = try await Migrator(client: client, logger: logger).applyPendingMigrations()
            logger.info("migrations up to date", metadata: ["applied": "\(applied.count)"])
        }
    }
    if existingClient == nil, DemoSeeder.isEnabled(), let demo = try? DemoSeeder.locateDirectory() {
        let seeder = DemoSeeder(services: services, logger: logger, directory: demo)
        app.beforeServerStarts {
            do { try await seeder.seedIfNeeded() } catch {
                logger.warning("demo project not seeded", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }
    return app
}

/// The router with every middleware and controller.
///
/// Order: security headers and error pages wrap everything (404s and static files included); `/healthz` and
/// `/static/` need no session; every other route runs CSRF → session → authenticator first.
func buildRouter(services: AppServices, staticDirectory: String, logger: Logger) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorPageMiddleware(views: services.views))
    router.add(middleware: FileMiddleware(staticDirectory, urlBasePath: "/static", logger: logger))
    HealthController(probe: DatabaseProbe(client: services.client)).addRoutes(to: router)
    StatusAPIController(services: services).addRoutes(to: router)
    APIController(services: services, staticDirectory: staticDirectory).addRoutes(to: router)

    let users = services.users
    let app = router.group()
        .add(middleware: CSRFMiddleware(secureCookies: services.configuration.secureCookies))
        .add(
            middleware: SessionMiddleware(
                storage: PostgresPersistDriver(sessions: services.sessions),
                configuration: .init(
                    sessionCookieParameters: .init(
                        name: "sightline_session", path: "/", secure: services.configuration.secureCookies,
                        sameSite: .lax),
                    keyPrefix: "",
                    defaultSessionExpiration: .seconds(60 * 60 * 12))))
        .add(
            middleware: SessionAuthenticator(context: AppRequestContext.self) { (session: UserSession, _) in
                try await users.findUser(id: session.userID)
            })
    AuthController(services: services).addRoutes(to: app)
    let signedIn = app.group().add(middleware: RequireSignInMiddleware())
    HomeController(services: services).addRoutes(to: signedIn)
    ProjectsController(services: services).addRoutes(to: signedIn)
    AccountController(services: services).addRoutes(to: signedIn)
    AdminUsersController(services: services).addRoutes(to: signedIn)
    ImagesController(services: services).addRoutes(to: signedIn)
    RegionsController(services: services).addRoutes(to: signedIn)
    RegionImportController(services: services).addRoutes(to: signedIn)
    PromptsController(services: services).addRoutes(to: signedIn)
    RunsController(services: services).addRoutes(to: signedIn)
    ComparisonController(services: services).addRoutes(to: signedIn)
    TokensController(services: services).addRoutes(to: signedIn)
    ReviewController(services: services).addRoutes(to: signedIn)
    SignOffController(services: services).addRoutes(to: signedIn)
    CommentsController(services: services).addRoutes(to: signedIn)
    AuditController(services: services).addRoutes(to: signedIn)
    ReportController(services: services).addRoutes(to: signedIn)
    BuiltInHeatmapsController(services: services, builtIn: services.builtInHeatmaps).addRoutes(to: signedIn)
    return router
}
