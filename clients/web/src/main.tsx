import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App as AntApp, ConfigProvider } from "antd";
import zhCN from "antd/locale/zh_CN";
import enUS from "antd/locale/en_US";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { App } from "./App";
import { AuthProvider } from "./auth";
import { LangProvider, useI18n } from "./i18n";
import "./styles.css";

function Themed() {
  const { lang } = useI18n();
  dayjs.locale(lang === "zh-CN" ? "zh-cn" : "en");
  return (
    <ConfigProvider
      locale={lang === "zh-CN" ? zhCN : enUS}
      theme={{
        token: {
          colorPrimary: "#1554c0",
          colorInfo: "#1554c0",
          borderRadius: 6,
          fontFamily:
            '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif',
        },
        components: {
          Layout: { headerBg: "#0b1f44", siderBg: "#ffffff", bodyBg: "#f3f5f9" },
        },
      }}
    >
      <AntApp>
        <AuthProvider>
          <App />
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <LangProvider>
      <Themed />
    </LangProvider>
  </StrictMode>,
);
