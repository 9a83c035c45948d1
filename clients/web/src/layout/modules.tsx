import {
  AccountBookOutlined,
  AppstoreOutlined,
  BarChartOutlined,
  CarOutlined,
  CustomerServiceOutlined,
  FileProtectOutlined,
  FileTextOutlined,
  MessageOutlined,
  SafetyCertificateOutlined,
  ShoppingCartOutlined,
  ToolOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";
import type { MsgKey } from "../i18n";

/** Modules that come later; each has its place in the navigation and a "coming soon" page. */
export interface ModuleDef {
  slug: string;
  key: MsgKey;
  icon: ReactNode;
  group: "trade" | "other";
}

export const MODULES: ModuleDef[] = [
  { slug: "products", key: "nav.products", icon: <AppstoreOutlined />, group: "trade" },
  { slug: "inquiries", key: "nav.inquiries", icon: <MessageOutlined />, group: "trade" },
  { slug: "orders", key: "nav.orders", icon: <ShoppingCartOutlined />, group: "trade" },
  { slug: "contracts", key: "nav.contracts", icon: <FileProtectOutlined />, group: "trade" },
  { slug: "payments", key: "nav.payments", icon: <AccountBookOutlined />, group: "trade" },
  { slug: "logistics", key: "nav.logistics", icon: <CarOutlined />, group: "trade" },
  { slug: "after-sales", key: "nav.afterSales", icon: <ToolOutlined />, group: "trade" },
  { slug: "finance", key: "nav.finance", icon: <SafetyCertificateOutlined />, group: "other" },
  { slug: "analytics", key: "nav.analytics", icon: <BarChartOutlined />, group: "other" },
  { slug: "support", key: "nav.support", icon: <CustomerServiceOutlined />, group: "other" },
];

export const MODULE_FALLBACK_ICON = <FileTextOutlined />;
