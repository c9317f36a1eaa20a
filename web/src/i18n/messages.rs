use byoc_core::lang::Lang;

/// Declares the catalog: each line is `Variant => "English", "中文";`.
macro_rules! messages {
    ($($name:ident => $en:literal, $zh:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg { $($name,)* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name,)*];

            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (Msg::$name, Lang::En) => $en,
                        (Msg::$name, Lang::ZhCn) => $zh,
                    )*
                }
            }
        }
    };
}

messages! {
    AppName => "BYOC Console", "BYOC 控制台";
    SkipToContent => "Skip to content", "跳到主要内容";
    MainNavigation => "Main navigation", "主导航";
    NavOverview => "Overview", "概览";
    NavDeployments => "Deployments", "部署";
    NavPrerequisites => "Prerequisites", "前提条件";
    NavLicence => "Licence", "许可证";
    NavAudit => "Audit log", "审计日志";
    NavAccess => "Users & access", "用户与权限";
    Language => "Language", "语言";
    Theme => "Theme", "主题";
    ThemeSystem => "System", "跟随系统";
    ThemeLight => "Light", "浅色";
    ThemeDark => "Dark", "深色";
    Loading => "Loading…", "加载中…";
    Retry => "Retry", "重试";
    NotFoundTitle => "Page not found", "页面不存在";
    NotFoundBody => "There is nothing at this address. Check the link, or go back to a page from the menu.", "此地址没有内容。请检查链接，或从菜单返回其他页面。";
    ErrNetwork => "The control plane cannot be reached. Check your connection and that the server is running.", "无法连接控制平面。请检查网络连接以及服务器是否在运行。";
    ErrUnauthorized => "Your session has ended. Sign in again.", "会话已结束，请重新登录。";
    ErrForbidden => "You do not have permission to do this.", "您没有执行此操作的权限。";
    ErrNotFound => "It no longer exists, or you cannot see it.", "该资源不存在，或您无权查看。";
    ErrConflict => "Someone changed this in the meantime. Reload to see the latest version.", "此内容已被他人修改，请刷新后查看最新版本。";
    ErrInvalid => "Some of what was sent is not valid.", "提交的内容有误。";
    ErrServer => "The control plane failed to answer. Try again; if it persists, quote the request id to your operator.", "控制平面未能正常响应。请重试；如仍失败，请将请求 ID 提供给管理员。";
    RequestId => "Request id", "请求 ID";
    PrereqTitle => "Prerequisites", "前提条件";
    PrereqIntro => "Check what your cloud account needs before you deploy: where the broker can run, how big it must be, the quotas and permissions that takes, the bootstrap machine and your domain. Everything here is computed in your browser.", "部署前确认您的云账号需要满足的条件：可部署的云与区域、所需规格、相应的资源配额与权限策略、引导环境以及域名。本页所有结果均在您的浏览器中计算。";
    CatalogHeading => "Cloud and region", "云服务商与区域";
    CloudLabel => "Cloud provider", "云服务商";
    SiteChina => "China site", "中国站";
    SiteInternational => "International site", "国际站";
    RegionsOf => "Regions available on", "可用区域：";
    RegionCode => "Region code", "区域代码";
    RegionName => "Region", "区域";
    RegionCount => "regions", "个区域";
    Copy => "Copy", "复制";
    Copied => "Copied.", "已复制。";
    CopyFailed => "Could not copy: select the text and copy it by hand.", "复制失败：请手动选择文本并复制。";
    Download => "Download", "下载";
    SizingHeading => "Specification", "规格";
    SizingSessions => "Sessions limit", "会话数上限";
    SizingTps => "Pub&Sub TPS", "消息收发 TPS";
    SizingTier => "Tier", "规格档位";
    SizingNodeType => "Node type", "节点机型";
    SizingNodes => "Nodes (+ agent)", "节点数（+ 代理节点）";
    SizingAgent => "Agent node", "代理节点机型";
    SizingNodesChoice => "Node count", "节点数量";
    SizingNodeTypeChoice => "Node instance type", "节点实例类型";
    SizingReset => "Use the recommended node count and type", "使用推荐的节点数量与机型";
    QuotaHeading => "Resource quotas", "资源配额";
    QuotaNeedsSizing => "Enter a valid specification above to see the quotas it needs.", "请先在上方填写有效的规格，以查看所需配额。";
    QuotaResource => "Resource", "资源与服务";
    QuotaRequired => "Required", "所需数量";
    QuotaNote => "Note", "说明";
    QuotaVms => "Virtual machines", "虚拟机数量";
    QuotaVcpu => "vCPUs in total", "vCPU 总数";
    QuotaMemory => "Memory in total", "内存总量";
    QuotaConsole => "Check your quotas in the cloud's quota console:", "可在云平台的配额控制台查看配额：";
    PolicyHeading => "Permission policies", "权限策略";
    PolicyIntro => "Grant the toolkit exactly these permissions, one policy per operation. Destructive actions are limited to resources tagged as created by the deployment.", "请为引导工具授予以下权限，每种操作一份策略。破坏性操作仅限于带有部署标签的资源。";
    OpCreate => "Create", "创建";
    OpDelete => "Delete", "删除";
    OpStopStart => "Stop / start", "停止 / 启动";
    GcloudCommandsIntro => "Then run these gcloud commands, replacing the placeholders:", "然后运行以下 gcloud 命令（请替换占位符）：";
    BootstrapHeading => "Bootstrap environment", "引导环境";
    BootstrapPreflightHint => "On that machine, the toolkit checks all of this for you:", "在该机器上，引导工具可以为您检查以上各项：";
    DomainHeading => "Domain", "域名";
    DomainLabel => "Domain the broker will be reached at", "访问 MQTT 服务所用的域名";
    DomainValid => "Valid domain:", "域名有效：";
    DomainIcp => "Domains served from mainland China must have ICP filing (备案) with the same cloud provider before the deployment can use them.", "在中国大陆提供服务的域名，须先在同一云服务商完成 ICP 备案，部署才能使用。";
    ErrNotANumber => "Enter a whole number, digits only.", "请输入整数（仅限数字）。";
    NavProjects => "Projects", "项目";
    NavTokens => "API tokens", "API 令牌";
    ErrTooManyAttempts => "Too many attempts. Wait a while and try again.", "尝试次数过多，请稍后再试。";
    // Sign-in and the user menu. Failures never say which of username and password was wrong.
    SignInTitle => "Sign in", "登录";
    SignInIntro => "Sign in with the username and password your organisation's owner gave you.", "请使用组织所有者为您分配的用户名和密码登录。";
    SignIn => "Sign in", "登录";
    SigningIn => "Signing in…", "正在登录…";
    Username => "Username", "用户名";
    Password => "Password", "密码";
    SignInUsernameRequired => "Enter your username.", "请输入用户名。";
    SignInPasswordRequired => "Enter your password.", "请输入密码。";
    SignInInvalid => "The username or password is incorrect.", "用户名或密码不正确。";
    SignInLocked => "Too many failed sign-ins. Try again in {minutes} min.", "登录失败次数过多，请在 {minutes} 分钟后重试。";
    SignInLockedLater => "Too many failed sign-ins. Try again later.", "登录失败次数过多，请稍后重试。";
    SignedInAs => "Signed in as", "当前登录用户：";
    SignOut => "Sign out", "退出登录";
    ChangePassword => "Change password", "修改密码";
    CurrentPassword => "Current password", "当前密码";
    CurrentPasswordWrong => "The current password is incorrect.", "当前密码不正确。";
    NewPassword => "New password", "新密码";
    RepeatPassword => "Repeat the new password", "再次输入新密码";
    PasswordsDiffer => "The two passwords differ.", "两次输入的密码不一致。";
    PasswordRule => "12 to 128 characters, not containing the username. A few unrelated words make a good one.", "12 到 128 个字符，不能包含用户名。几个不相关的词组合起来就是好密码。";
    PasswordChanged => "Your password has been changed. Other devices signed in as you must sign in again.", "密码已修改。您在其他设备上的登录需要重新登录。";
    Dismiss => "Dismiss", "关闭";
    Cancel => "Cancel", "取消";
    Save => "Save", "保存";
    Remove => "Remove", "移除";
    Rename => "Rename", "重命名";
    Delete => "Delete", "删除";
    Actions => "Actions", "操作";
    Created => "Created", "创建时间";
    TypeToConfirm => "To confirm, type", "请输入以下内容以确认：";
    // Roles.
    OrgRole => "Organisation role", "组织角色";
    ProjectRole => "Project role", "项目角色";
    RoleOwner => "Owner", "所有者";
    RoleMember => "Member", "成员";
    RoleAdmin => "Admin", "管理员";
    RoleEditor => "Editor", "编辑者";
    RoleViewer => "Viewer", "查看者";
    // Projects.
    ProjectsIntro => "Projects group deployments and decide who may see and change them.", "项目用于组织部署，并决定谁可以查看和修改它们。";
    YourProjects => "Your projects", "您的项目";
    NoProjects => "There are no projects you can see yet.", "暂无您可以查看的项目。";
    Project => "Project", "项目";
    ProjectName => "Name", "名称";
    ProjectDescription => "Description", "描述";
    YourRole => "Your role", "您的角色";
    NotAMember => "Not a member (owner)", "非成员（所有者）";
    CreateProject => "Create project", "创建项目";
    ProjectCreated => "Project {name} created.", "已创建项目 {name}。";
    ProjectNameTaken => "A project with this name already exists.", "已存在同名项目。";
    RenameProject => "Rename project", "重命名项目";
    ProjectRenamed => "Project saved as {name}.", "项目已保存为 {name}。";
    ProjectChangedMeanwhile => "Someone else changed this project meanwhile (it is now at version {version}); your change was not saved. Reload to see the latest, then try again.", "此项目已被他人修改（当前版本 {version}），您的修改未保存。请刷新查看最新内容后重试。";
    ReloadLatest => "Reload the latest", "刷新到最新";
    DeleteProject => "Delete project", "删除项目";
    DeleteProjectBody => "Only an empty project can be deleted. This cannot be undone.", "只能删除不含部署的项目。此操作无法撤销。";
    ProjectDeleted => "Project {name} deleted.", "已删除项目 {name}。";
    ProjectNotEmpty => "This project still has deployments. Delete them first.", "该项目中仍有部署，请先删除这些部署。";
    // Users & access.
    YourAccess => "Your access", "您的权限";
    NoMemberships => "You are not a member of any project.", "您尚未加入任何项目。";
    AccessManagedBy => "Organisation owners manage users; project admins manage their projects' members.", "组织所有者管理用户；项目管理员管理其项目的成员。";
    UsersHeading => "Users", "用户";
    CreateUser => "Create user", "创建用户";
    UsernameRule => "3 to 32 characters: lowercase letters, digits, '.', '_' or '-', starting with a letter.", "3 到 32 个字符：小写字母、数字、“.”、“_”或“-”，以字母开头。";
    InitialPassword => "First password", "初始密码";
    UsernameTaken => "This username is taken.", "该用户名已被使用。";
    UserCreated => "User {name} created.", "已创建用户 {name}。";
    RoleChanged => "{name} is now {role}.", "{name} 的角色已改为{role}。";
    LastOwner => "The organisation needs at least one owner: make someone else an owner first.", "组织至少需要一名所有者：请先将其他人设为所有者。";
    UserChangedMeanwhile => "Someone else changed this user meanwhile; nothing was saved. The list now shows the latest.", "该用户已被他人修改，您的修改未保存。列表已更新为最新内容。";
    ResetPassword => "Reset password", "重置密码";
    ResetPasswordOf => "Reset the password of {name}", "重置 {name} 的密码";
    PasswordReset => "New password set for {name}. Give it to them through a safe channel.", "已为 {name} 设置新密码，请通过安全渠道告知对方。";
    RemoveUser => "Remove user", "移除用户";
    RemoveUserBody => "{name} will no longer be able to sign in, and their API tokens stop working.", "{name} 将无法再登录，其 API 令牌也将失效。";
    UserRemoved => "User {name} removed.", "已移除用户 {name}。";
    MembersHeading => "Project members", "项目成员";
    NoMembers => "This project has no members yet.", "该项目暂无成员。";
    AddMember => "Add member", "添加成员";
    User => "User", "用户";
    ChooseUser => "Choose a user", "请选择用户";
    UserId => "User id", "用户 ID";
    UserIdHint => "Ask an organisation owner for the id of the user to add.", "请向组织所有者索取要添加用户的 ID。";
    MemberSaved => "{name} is now {role} in this project.", "{name} 现为该项目的{role}。";
    MemberChangedMeanwhile => "This membership changed meanwhile; nothing was saved. The list now shows the latest.", "该成员关系已被他人修改，您的修改未保存。列表已更新为最新内容。";
    RemoveMember => "Remove member", "移除成员";
    RemoveMemberBody => "{name} will lose access to this project.", "{name} 将失去对该项目的访问权限。";
    MemberRemoved => "{name} removed from the project.", "已将 {name} 移出项目。";
    // API tokens.
    TokensIntro => "Tokens let scripts call the API as you (sent as Authorization: Bearer). They can do at most what you can, and expire.", "令牌允许脚本以您的身份调用 API（通过 Authorization: Bearer 发送）。令牌权限不超过您本人，且会过期。";
    YourTokens => "Your tokens", "您的令牌";
    NoTokens => "You have no API tokens.", "您还没有 API 令牌。";
    TokenName => "Token name", "令牌名称";
    TokenDays => "Expires after (days)", "有效期（天）";
    TokenDaysHint => "1 to 365 days.", "1 到 365 天。";
    CreateToken => "Create token", "创建令牌";
    TokenCreated => "Token {name} created.", "已创建令牌 {name}。";
    TokenSecretOnce => "Copy the secret now and keep it somewhere safe: it is shown only this once.", "请立即复制并妥善保存该密钥：它只显示这一次。";
    TokenSecretGone => "This token was already created by an earlier attempt; its secret cannot be shown again. Revoke it and create a new one if you did not save it.", "该令牌已由之前的请求创建，密钥无法再次显示。如未保存，请撤销后重新创建。";
    TokenSecretSaved => "I have saved it", "我已保存";
    Expires => "Expires", "过期时间";
    LastUsed => "Last used", "最近使用";
    Never => "Never", "从未";
    State => "State", "状态";
    TokenStateActive => "Active", "有效";
    TokenStateRevoked => "Revoked", "已撤销";
    Revoke => "Revoke", "撤销";
    RevokeToken => "Revoke token", "撤销令牌";
    RevokeTokenBody => "Scripts using {name} will be refused from now on. This cannot be undone.", "使用 {name} 的脚本将立即被拒绝。此操作无法撤销。";
    TokenRevoked => "Token {name} revoked.", "已撤销令牌 {name}。";
    // Audit log.
    AuditIntro => "Every change and every refused attempt, newest first. Entries cannot be changed or removed.", "记录每一次变更和每一次被拒绝的操作，最新的在前。记录不可修改或删除。";
    AuditFilters => "Filters", "筛选";
    AuditActor => "Actor (name or id)", "操作者（名称或 ID）";
    AuditAction => "Action", "操作";
    AuditActionHint => "Exact, like project.create, or a prefix ending in a dot, like project.", "完整名称（如 project.create），或以点结尾的前缀（如 project.）。";
    AuditTarget => "Target id", "目标 ID";
    AuditFrom => "From", "开始时间";
    AuditTo => "To", "结束时间";
    AuditRangeInverted => "The end is before the start.", "结束时间早于开始时间。";
    ApplyFilters => "Apply filters", "应用筛选";
    ClearFilters => "Clear", "清除";
    AuditEntries => "Entries", "记录";
    AuditShown => "{count} entries shown.", "已显示 {count} 条记录。";
    AuditNone => "No entries match.", "没有匹配的记录。";
    AuditTime => "Time", "时间";
    AuditOutcome => "Outcome", "结果";
    AuditDetail => "Detail", "详情";
    OutcomeSuccess => "Success", "成功";
    OutcomeFailure => "Failure", "失败";
    OutcomeDenied => "Denied", "已拒绝";
    LoadMore => "Load more", "加载更多";
    DownloadCsv => "Download CSV", "下载 CSV";
}
