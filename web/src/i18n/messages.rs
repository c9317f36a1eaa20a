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
    PrereqIntro => "Check what your cloud account needs before you deploy: where the broker can run, and later the quotas, policies and bootstrap environment.", "部署前确认您的云账号需要满足的条件：可部署的云与区域，以及配额、权限策略和引导环境。";
    CatalogHeading => "Cloud and region", "云服务商与区域";
    CloudLabel => "Cloud provider", "云服务商";
    SiteChina => "China site", "中国站";
    SiteInternational => "International site", "国际站";
    RegionsOf => "Regions available on", "可用区域：";
    RegionCode => "Region code", "区域代码";
    RegionName => "Region", "区域";
    RegionCount => "regions", "个区域";
}
