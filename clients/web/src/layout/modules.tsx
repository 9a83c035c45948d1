import {
  AccountBookOutlined,
  AuditOutlined,
  ContainerOutlined,
  NodeIndexOutlined,
  ProfileOutlined,
  AppstoreOutlined,
  BarChartOutlined,
  BellOutlined,
  CarOutlined,
  CustomerServiceOutlined,
  FileProtectOutlined,
  FileTextOutlined,
  MessageOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
  ShoppingCartOutlined,
  SolutionOutlined,
  ToolOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";
import type { MsgKey } from "../i18n";

/** Business modules. Those with a path are live; the others come later and show a "coming soon" page. */
export interface ModuleDef {
  slug: string;
  key: MsgKey;
  icon: ReactNode;
  group: "trade" | "other";
  /** Where a live module lives; without one it is /m/<slug> ("coming soon"). */
  path?: string;
  /** data-testid of its menu entry. */
  testId?: string;
}

export const MODULES: ModuleDef[] = [
  { slug: "catalog", key: "nav.catalog", icon: <AppstoreOutlined />, group: "trade", path: "/catalog", testId: "nav-catalog" },
  { slug: "my-listings", key: "nav.myListings", icon: <ShopOutlined />, group: "trade", path: "/seller/listings", testId: "nav-my-listings" },
  { slug: "inquiries", key: "nav.myInquiries", icon: <MessageOutlined />, group: "trade", path: "/inquiries", testId: "nav-inquiries" },
  { slug: "seller-inquiries", key: "nav.sellerInquiries", icon: <SolutionOutlined />, group: "trade", path: "/seller/inquiries", testId: "nav-seller-inquiries" },
  { slug: "inbox", key: "nav.inbox", icon: <BellOutlined />, group: "trade", path: "/inbox", testId: "nav-inbox" },
  { slug: "cart", key: "nav.cart", icon: <ShoppingCartOutlined />, group: "trade", path: "/cart", testId: "nav-cart" },
  { slug: "orders", key: "nav.myOrders", icon: <ProfileOutlined />, group: "trade", path: "/orders", testId: "nav-orders" },
  { slug: "seller-orders", key: "nav.sellerOrders", icon: <ContainerOutlined />, group: "trade", path: "/seller/orders", testId: "nav-seller-orders" },
  { slug: "order-approvals", key: "nav.orderApprovals", icon: <AuditOutlined />, group: "trade", path: "/orders/approvals", testId: "nav-order-approvals" },
  { slug: "freight-rules", key: "nav.freightRules", icon: <NodeIndexOutlined />, group: "trade", path: "/seller/freight-rules", testId: "nav-freight-rules" },
  { slug: "contracts", key: "nav.contracts", icon: <FileProtectOutlined />, group: "trade", path: "/contracts", testId: "nav-contracts" },
  { slug: "payments", key: "nav.payments", icon: <AccountBookOutlined />, group: "trade" },
  { slug: "logistics", key: "nav.logistics", icon: <CarOutlined />, group: "trade" },
  { slug: "after-sales", key: "nav.afterSales", icon: <ToolOutlined />, group: "trade" },
  { slug: "finance", key: "nav.finance", icon: <SafetyCertificateOutlined />, group: "other" },
  { slug: "analytics", key: "nav.analytics", icon: <BarChartOutlined />, group: "other" },
  { slug: "support", key: "nav.support", icon: <CustomerServiceOutlined />, group: "other" },
];

export const MODULE_FALLBACK_ICON = <FileTextOutlined />;

/** Menu key and route of a module. */
export function modulePath(m: ModuleDef): string {
  return m.path ?? `/m/${m.slug}`;
}
