import { Button, Card, Result } from "antd";
import { RocketOutlined } from "@ant-design/icons";
import { Link, useParams } from "react-router";
import { MODULES } from "../layout/modules";
import { useI18n } from "../i18n";

function HomeButton() {
  const { t } = useI18n();
  return (
    <Link to="/">
      <Button type="primary">{t("soon.back")}</Button>
    </Link>
  );
}

export function ComingSoonPage() {
  const { t } = useI18n();
  const { module } = useParams();
  const def = MODULES.find((m) => m.slug === module);
  const name = def ? t(def.key) : module ?? "";
  return (
    <Card>
      <Result
        icon={<RocketOutlined style={{ color: "#1554c0" }} />}
        title={<span data-testid="coming-soon">{t("soon.title", { module: name })}</span>}
        subTitle={t("soon.desc")}
        extra={<HomeButton />}
      />
    </Card>
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t("notFound.title")}
      extra={<HomeButton />}
    />
  );
}
