import Logging
import PostgresNIO
import Storage

/// The repositories and helpers every controller shares (one PostgreSQL pool underneath).
public struct AppServices: Sendable {
    public let client: PostgresClient
    public let users: UserRepository
    public let projects: ProjectRepository
    public let sessions: SessionRepository
    public let loginAttempts: LoginAttemptRepository
    public let images: ImageRepository
    public let regions: RegionRepository
    public let prompts: PromptRepository
    public let runs: RunRepository
    public let scoring: ScoringRepository
    public let tokens: TokenRepository
    public let signOffs: SignOffRepository
    public let comments: CommentRepository
    public let audit: AuditRepository
    public let passwords: PasswordHasher
    public let views: ViewRenderer
    public let configuration: AppConfiguration
    /// The built-in Grad-CAM heatmap source (EfficientNet-Lite0, weights from `SIGHTLINE_MODEL_WEIGHTS`).
    public let builtInHeatmaps: BuiltInHeatmapService

    public init(
        client: PostgresClient, views: ViewRenderer, configuration: AppConfiguration, logger: Logger,
        builtInHeatmaps: BuiltInHeatmapService? = nil
    ) {
        self.client = client
        self.users = UserRepository(client: client, logger: logger)
        self.projects = ProjectRepository(client: client, logger: logger)
        self.sessions = SessionRepository(client: client, logger: logger)
        self.loginAttempts = LoginAttemptRepository(client: client, logger: logger)
        self.images = ImageRepository(client: client, logger: logger)
        self.regions = RegionRepository(client: client, logger: logger)
        self.prompts = PromptRepository(client: client, logger: logger)
        self.runs = RunRepository(client: client, logger: logger)
        self.scoring = ScoringRepository(client: client, logger: logger)
        self.tokens = TokenRepository(client: client, logger: logger)
        self.signOffs = SignOffRepository(client: client, logger: logger)
        self.comments = CommentRepository(client: client, logger: logger)
        self.audit = AuditRepository(client: client, logger: logger)
        self.passwords = PasswordHasher(cost: configuration.bcryptCost)
        self.views = views
        self.configuration = configuration
        self.builtInHeatmaps = builtInHeatmaps ?? BuiltInHeatmapService.fromEnvironment()
    }
}
