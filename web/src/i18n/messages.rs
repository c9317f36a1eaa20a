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
}
