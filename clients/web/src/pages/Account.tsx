import { useState } from "react";
import { App, Button, Card, Col, Descriptions, Form, Input, Popconfirm, Row, Space, Tag, Typography } from "antd";
import { LogoutOutlined, StopOutlined } from "@ant-design/icons";
import { useNavigate } from "react-router";
import { identityClient } from "../api/client";
import { tokenStore } from "../api/session";
import { applyFieldErrors, parseError, type ApiError, type FieldViolation } from "../api/errors";
import { useAuth } from "../auth";
import { FormError } from "../components/FormError";
import { PageHeader } from "../components/PageHeader";
import { NewPasswordFields } from "../components/NewPasswordFields";
import { accountKindKey, formatTime, providerKey } from "../lib/labels";
import { useI18n } from "../i18n";

interface PwValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export default function AccountPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { user, signOut, forget } = useAuth();
  const [form] = Form.useForm<PwValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [unmapped, setUnmapped] = useState<FieldViolation[]>([]);

  if (!user) return null;

  const change = async (v: PwValues) => {
    setBusy(true);
    setError(null);
    try {
      const res = await identityClient.changePassword({ currentPassword: v.currentPassword, newPassword: v.newPassword });
      tokenStore.setPair(res.tokens);
      form.resetFields();
      message.success(t("acct.passwordChanged"));
    } catch (e) {
      const err = parseError(e);
      setError(err);
      setUnmapped(applyFieldErrors(form, err, { known: ["currentPassword", "newPassword", "confirm"] }));
    } finally {
      setBusy(false);
    }
  };

  const logoutEverywhere = async () => {
    try {
      const res = await identityClient.logoutEverywhere({});
      message.success(t("acct.loggedOutEverywhere", { n: res.revokedSessions }));
    } catch (e) {
      message.error(parseError(e).message);
    }
    forget();
    navigate("/login", { replace: true });
  };

  return (
    <>
      <PageHeader title={t("acct.title")} />
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t("acct.profile")} className="section-card">
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: "name", label: t("auth.displayName"), children: <span data-testid="account-display-name">{user.displayName}</span> },
                { key: "id", label: t("acct.userId"), children: <Typography.Text copyable className="mono">{user.userId}</Typography.Text> },
                {
                  key: "kind",
                  label: t("acct.kind"),
                  children: (
                    <Space>
                      {t(accountKindKey(user.accountKind))}
                      {user.isOperator && <Tag color="gold">{t("acct.operator")}</Tag>}
                    </Space>
                  ),
                },
                { key: "phone", label: t("acct.phone"), children: user.maskedPhone || "—" },
                { key: "email", label: t("acct.email"), children: user.maskedEmail || "—" },
                {
                  key: "linked",
                  label: t("acct.linked"),
                  children: user.linkedProviders.length ? user.linkedProviders.map((p) => <Tag key={p}>{t(providerKey(p))}</Tag>) : "—",
                },
                { key: "created", label: t("common.createdAt"), children: formatTime(user.createTime) },
              ]}
            />
          </Card>
          <Card title={t("acct.sessions")} className="section-card">
            <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
              <div className="session-row">
                <Typography.Text type="secondary">{t("acct.logoutHint")}</Typography.Text>
                <Button
                  icon={<LogoutOutlined />}
                  data-testid="account-logout"
                  onClick={async () => {
                    await signOut();
                    navigate("/login", { replace: true });
                  }}
                >
                  {t("nav.logout")}
                </Button>
              </div>
              <div className="session-row">
                <Typography.Text type="secondary">{t("acct.logoutEverywhereHint")}</Typography.Text>
                <Popconfirm
                  title={t("acct.logoutEverywhereConfirm")}
                  onConfirm={logoutEverywhere}
                  okText={t("common.confirm")}
                  cancelText={t("common.cancel")}
                  okButtonProps={{ "data-testid": "account-logout-everywhere-confirm" }}
                >
                  <Button danger icon={<StopOutlined />} data-testid="account-logout-everywhere">
                    {t("acct.logoutEverywhere")}
                  </Button>
                </Popconfirm>
              </div>
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t("acct.changePassword")} className="section-card">
            <FormError error={error} unmapped={unmapped} />
            <Form<PwValues> form={form} name="changePassword" layout="vertical" onFinish={change} requiredMark={false}>
              <Form.Item name="currentPassword" label={t("auth.currentPassword")} rules={[{ required: true, message: t("common.required", { field: t("auth.currentPassword") }) }]}>
                <Input.Password autoComplete="current-password" data-testid="input-current-password" />
              </Form.Item>
              <NewPasswordFields name="newPassword" label={t("auth.newPassword")} inputTestId="input-new-password" />
              <Button type="primary" htmlType="submit" loading={busy} data-testid="change-password-submit">
                {t("acct.changePassword")}
              </Button>
            </Form>
          </Card>
        </Col>
      </Row>
    </>
  );
}
