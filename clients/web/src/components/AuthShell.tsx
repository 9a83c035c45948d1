import type { ReactNode } from "react";
import { Card } from "antd";
import { CheckCircleOutlined } from "@ant-design/icons";
import { Logo } from "./Logo";
import { LangSwitch } from "./LangSwitch";
import { useI18n } from "../i18n";

/** Two-column page for login / register / reset: brand panel on the left, form card on the right. */
export function AuthShell({ title, children, width = 440 }: { title: ReactNode; children: ReactNode; width?: number }) {
  const { t } = useI18n();
  return (
    <div className="auth-page">
      <div className="auth-brand">
        <Logo light />
        <div className="auth-brand-body">
          <h1>{t("app.subtitle")}</h1>
          <p className="auth-slogan">{t("app.slogan")}</p>
          <ul>
            {(["auth.marketing1", "auth.marketing2", "auth.marketing3"] as const).map((k) => (
              <li key={k}>
                <CheckCircleOutlined /> {t(k)}
              </li>
            ))}
          </ul>
        </div>
        <div className="auth-brand-foot">{t("app.footer", { year: new Date().getFullYear() })}</div>
      </div>
      <div className="auth-main">
        <div className="auth-top">
          <LangSwitch />
        </div>
        <Card className="auth-card" style={{ width }} title={title}>
          {children}
        </Card>
      </div>
    </div>
  );
}
