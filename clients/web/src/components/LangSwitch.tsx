import { Segmented } from "antd";
import { useI18n, type Lang } from "../i18n";

export function LangSwitch({ dark }: { dark?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Segmented
      size="small"
      aria-label={t("lang.switch")}
      data-testid="lang-switch"
      className={dark ? "lang-switch-dark" : undefined}
      value={lang}
      onChange={(v) => setLang(v as Lang)}
      options={[
        { label: "中文", value: "zh-CN" },
        { label: "EN", value: "en-US" },
      ]}
    />
  );
}
