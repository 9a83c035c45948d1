import { useEffect, useState } from "react";
import { Alert, Card, Col, Row, Statistic, Steps, Tag } from "antd";
import { BankOutlined, MailOutlined, SafetyCertificateOutlined } from "@ant-design/icons";
import { useNavigate } from "react-router";
import { enterpriseClient } from "../api/client";
import { useAuth } from "../auth";
import { AccountKind } from "../gen/b2btrade/identity/v1/identity_service_pb";
import { VerificationStatus, type Enterprise } from "../gen/b2btrade/enterprise/v1/enterprise_service_pb";
import { MODULES, modulePath } from "../layout/modules";
import { useI18n } from "../i18n";

export default function HomePage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const [ents, setEnts] = useState<Enterprise[] | null>(null);
  const [invCount, setInvCount] = useState<number | null>(null);

  useEffect(() => {
    enterpriseClient
      .listMyEnterprises({ pageSize: 100 })
      .then((r) => setEnts(r.enterprises))
      .catch(() => setEnts([]));
    enterpriseClient
      .listMyInvitations({ pageSize: 100 })
      .then((r) => setInvCount(r.invitations.length))
      .catch(() => setInvCount(0));
  }, []);

  const verified = ents?.filter((e) => e.verificationStatus === VerificationStatus.VERIFIED).length ?? 0;
  const step = !ents?.length ? 0 : verified === 0 ? 0 : 1;

  return (
    <>
      <div className="welcome-banner">
        <div>
          <h2 data-testid="home-greeting">{t("home.greeting", { name: user?.displayName ?? "" })}</h2>
          <p>{t("home.subtitle")}</p>
        </div>
      </div>
      {user?.accountKind === AccountKind.INDIVIDUAL && !user.isOperator && <Alert type="info" showIcon title={t("home.individualHint")} style={{ marginBottom: 16 }} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <Card hoverable onClick={() => navigate("/enterprises")} className="stat-card">
            <Statistic title={t("home.myEnterprises")} value={ents?.length ?? "-"} prefix={<BankOutlined />} loading={ents === null} />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card hoverable onClick={() => navigate("/enterprises")} className="stat-card">
            <Statistic title={t("home.verified")} value={verified} prefix={<SafetyCertificateOutlined />} loading={ents === null} />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card hoverable onClick={() => navigate("/invitations")} className="stat-card">
            <Statistic title={t("home.pendingInvitations")} value={invCount ?? "-"} prefix={<MailOutlined />} loading={invCount === null} />
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t("home.quickStart")}>
            <Steps
              current={step}
              items={[
                { title: t("home.step1"), content: t("home.step1Desc") },
                { title: t("home.step2"), content: t("home.step2Desc") },
                { title: t("home.step3"), content: t("home.step3Desc") },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t("home.modules")}>
            <Row gutter={[12, 12]}>
              {MODULES.map((m) => (
                <Col xs={12} sm={8} md={6} lg={4} key={m.slug}>
                  <div className="module-tile" onClick={() => navigate(modulePath(m))} role="link" data-testid={`module-${m.slug}`}>
                    <span className="module-icon">{m.icon}</span>
                    <span className="module-name">{t(m.key)}</span>
                    {m.path ? <Tag color="blue">{t("nav.live")}</Tag> : <Tag className="soon-tag">{t("nav.comingSoon")}</Tag>}
                  </div>
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
      </Row>
    </>
  );
}
