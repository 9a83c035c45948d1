import { useMemo, useState } from "react";
import { Avatar, Badge, Dropdown, Layout, Menu, Tag, Tooltip } from "antd";
import {
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  BellOutlined,
  DashboardOutlined,
  DownOutlined,
  InboxOutlined,
  LogoutOutlined,
  MailOutlined,
  SettingOutlined,
  UserOutlined,
} from "@ant-design/icons";
import { Outlet, useLocation, useNavigate } from "react-router";
import type { MenuProps } from "antd";
import { useAuth } from "../auth";
import { LangSwitch } from "../components/LangSwitch";
import { Logo } from "../components/Logo";
import { useI18n } from "../i18n";
import { InboxProvider, useInbox } from "../lib/inbox";
import { MODULES, modulePath, type ModuleDef } from "./modules";

const { Header, Sider, Content, Footer } = Layout;

/** 消息中心 in the header: the unread count, live through WatchInbox. */
function InboxBell() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { unread } = useInbox();
  return (
    <Tooltip title={t("nav.inbox")}>
      <button className="inbox-bell" type="button" onClick={() => navigate("/inbox")} data-testid="inbox-bell" data-count={unread ?? ""} aria-label={t("nav.inbox")}>
        <Badge count={unread ?? 0} size="small" overflowCount={99} data-testid="inbox-badge">
          <BellOutlined />
        </Badge>
      </button>
    </Tooltip>
  );
}

export function AppLayout() {
  return (
    <InboxProvider>
      <AppShell />
    </InboxProvider>
  );
}

function AppShell() {
  const { t } = useI18n();
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);

  const soon = (label: string) => (
    <span className="menu-soon">
      {label}
      <Tag className="soon-tag">{t("nav.soonShort")}</Tag>
    </span>
  );

  const moduleItem = (m: ModuleDef) => ({
    key: modulePath(m),
    icon: m.icon,
    label: m.path ? <span data-testid={m.testId}>{t(m.key)}</span> : soon(t(m.key)),
  });

  const items = useMemo<MenuProps["items"]>(() => {
    const list: MenuProps["items"] = [
      { key: "/", icon: <DashboardOutlined />, label: <span data-testid="nav-home">{t("nav.home")}</span> },
      {
        key: "grp-enterprise",
        type: "group",
        label: t("nav.enterprise"),
        children: [
          { key: "/enterprises", icon: <BankOutlined />, label: <span data-testid="nav-enterprises">{t("nav.myEnterprises")}</span> },
          { key: "/invitations", icon: <MailOutlined />, label: <span data-testid="nav-invitations">{t("nav.invitations")}</span> },
        ],
      },
      {
        key: "grp-trade",
        type: "group",
        label: t("nav.trade"),
        children: MODULES.filter((m) => m.group === "trade").map(moduleItem),
      },
      {
        key: "grp-other",
        type: "group",
        label: "",
        children: MODULES.filter((m) => m.group === "other").map(moduleItem),
      },
    ];
    if (user?.isOperator) {
      list.push({
        key: "grp-op",
        type: "group",
        label: t("nav.operator"),
        children: [
          { key: "/operator/verifications", icon: <AuditOutlined />, label: <span data-testid="nav-review">{t("nav.review")}</span> },
          { key: "/operator/outbox", icon: <InboxOutlined />, label: <span data-testid="nav-outbox">{t("nav.outbox")}</span> },
          { key: "/operator/categories", icon: <ApartmentOutlined />, label: <span data-testid="nav-categories">{t("nav.categories")}</span> },
        ],
      });
    }
    return list;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [t, user?.isOperator]);

  const path = location.pathname;
  const selected =
    path === "/"
      ? "/"
      : [
          "/operator/verifications",
          "/operator/outbox",
          "/operator/categories",
          "/enterprises",
          "/invitations",
          "/account",
          "/seller/listings",
          "/seller/inquiries",
          "/catalog",
          "/inquiries",
          "/inbox",
          "/orders/approvals",
          "/seller/orders",
          "/seller/freight-rules",
          "/orders",
          "/cart",
          "/contracts",
        ].find((p) => path.startsWith(p)) ??
        (path.startsWith("/rfqs") ? "/inquiries" : path.startsWith("/m/") ? path : "");

  const userMenu: MenuProps["items"] = [
    { key: "account", icon: <SettingOutlined />, label: <span data-testid="menu-account">{t("nav.account")}</span> },
    { type: "divider" },
    { key: "logout", icon: <LogoutOutlined />, label: <span data-testid="menu-logout">{t("nav.logout")}</span>, danger: true },
  ];

  return (
    <Layout className="app-layout">
      <Header className="app-header">
        <div className="app-header-left" onClick={() => navigate("/")} role="link">
          <Logo light />
        </div>
        <div className="app-header-right">
          <InboxBell />
          <LangSwitch dark />
          <Dropdown
            menu={{
              items: userMenu,
              onClick: async ({ key }) => {
                if (key === "account") navigate("/account");
                if (key === "logout") {
                  await signOut();
                  navigate("/login", { replace: true });
                }
              },
            }}
            trigger={["click"]}
          >
            <button className="user-button" data-testid="user-menu" type="button">
              <Avatar size="small" icon={<UserOutlined />} style={{ background: "#f6a723" }} />
              <span className="user-name" data-testid="user-name">
                {user?.displayName}
              </span>
              {user?.isOperator && <Tag color="gold">{t("acct.operator")}</Tag>}
              <DownOutlined style={{ fontSize: 10 }} />
            </button>
          </Dropdown>
        </div>
      </Header>
      <Layout>
        <Sider width={224} className="app-sider" theme="light" collapsible collapsed={collapsed} onCollapse={setCollapsed} breakpoint="lg">
          <Menu mode="inline" selectedKeys={[selected]} items={items} onClick={({ key }) => navigate(key)} className="app-menu" />
        </Sider>
        <Layout className="app-content-wrap">
          <Content className="app-content">
            <Outlet />
          </Content>
          <Footer className="app-footer">{t("app.footer", { year: new Date().getFullYear() })}</Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
