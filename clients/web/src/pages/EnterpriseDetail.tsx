import { useCallback, useEffect, useState } from "react";
import { Alert, App, Button, Card, Descriptions, Empty, Result, Space, Spin, Table, Tabs } from "antd";
import { EditOutlined, SafetyCertificateOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { enterpriseClient } from "../api/client";
import { parseError, type ApiError } from "../api/errors";
import { LicenceViewer } from "../components/LicenceViewer";
import { PageHeader } from "../components/PageHeader";
import { BusinessTypeTags, RoleTags, VerificationTag, formatTime } from "../lib/labels";
import { MemberRole, VerificationStatus, type Enterprise } from "../gen/b2btrade/enterprise/v1/enterprise_service_pb";
import { useI18n } from "../i18n";
import { MembersPanel } from "./Members";

export default function EnterpriseDetailPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { id = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const [ent, setEnt] = useState<Enterprise | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const load = useCallback(async () => {
    try {
      const res = await enterpriseClient.getEnterprise({ enterpriseId: id });
      setEnt(res.enterprise ?? null);
      setError(null);
    } catch (e) {
      setError(parseError(e));
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load, lang]);

  if (error && !ent)
    return (
      <Result
        status={error.code === Code.NotFound || error.code === Code.PermissionDenied ? "404" : "error"}
        title={error.code === Code.NotFound || error.code === Code.PermissionDenied ? t("ent.notFound") : error.message}
        extra={<Link to="/enterprises">{t("common.back")}</Link>}
      />
    );
  if (!ent) return <Spin style={{ display: "block", margin: 80 }} />;

  const p = ent.profile;
  const isAdmin = ent.myRoles.includes(MemberRole.ADMIN);
  const editable = isAdmin && (ent.verificationStatus === VerificationStatus.UNVERIFIED || ent.verificationStatus === VerificationStatus.REJECTED);

  const submit = async () => {
    setSubmitting(true);
    try {
      const res = await enterpriseClient.submitEnterpriseVerification({ enterpriseId: id });
      if (res.enterprise) setEnt(res.enterprise);
      message.success(t("ent.submitted"));
    } catch (e) {
      message.error(parseError(e).message);
    } finally {
      setSubmitting(false);
    }
  };

  const alertType = {
    [VerificationStatus.UNSPECIFIED]: "info",
    [VerificationStatus.UNVERIFIED]: "warning",
    [VerificationStatus.PENDING]: "info",
    [VerificationStatus.VERIFIED]: "success",
    [VerificationStatus.REJECTED]: "error",
  } as const;
  const alertText =
    ent.verificationStatus === VerificationStatus.REJECTED
      ? t("ent.statusAlert.rejected", { reason: ent.rejectionReason || "—" })
      : ent.verificationStatus === VerificationStatus.VERIFIED
        ? t("ent.statusAlert.verified")
        : ent.verificationStatus === VerificationStatus.PENDING
          ? t("ent.statusAlert.pending")
          : t("ent.statusAlert.unverified");

  const tab = params.get("tab") === "members" ? "members" : "profile";

  return (
    <>
      <PageHeader
        back="/enterprises"
        title={p?.legalName}
        sub={<VerificationTag status={ent.verificationStatus} />}
        extra={
          <Space>
            {editable && (
              <Button icon={<EditOutlined />} onClick={() => navigate(`/enterprises/${id}/edit`)} data-testid="enterprise-edit">
                {t("common.edit")}
              </Button>
            )}
            {editable && (
              <Button type="primary" icon={<SafetyCertificateOutlined />} loading={submitting} onClick={submit} data-testid="enterprise-submit-verification">
                {t("ent.submitVerification")}
              </Button>
            )}
          </Space>
        }
      />
      <Alert type={alertType[ent.verificationStatus]} showIcon title={alertText} style={{ marginBottom: 16 }} data-testid="verification-alert" />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams(k === "members" ? { tab: "members" } : {}, { replace: true })}
          items={[
            {
              key: "profile",
              label: <span data-testid="tab-profile">{t("ent.tabProfile")}</span>,
              children: (
                <>
                  <Descriptions
                    bordered
                    column={{ xs: 1, md: 2 }}
                    size="small"
                    items={[
                      { key: "name", label: t("ent.legalName"), children: p?.legalName },
                      { key: "code", label: t("ent.creditCode"), children: <span className="mono">{p?.unifiedSocialCreditCode}</span> },
                      { key: "rep", label: t("ent.legalRep"), children: p?.legalRepresentative },
                      { key: "addr", label: t("ent.address"), children: p?.registeredAddress },
                      { key: "contact", label: t("ent.contactName"), children: p?.contactName },
                      { key: "phone", label: t("ent.contactPhone"), children: p?.contactPhone },
                      {
                        key: "type",
                        label: t("ent.businessType"),
                        children: <BusinessTypeTags profile={p} />,
                      },
                      { key: "roles", label: t("ent.myRoles"), children: <RoleTags roles={ent.myRoles} /> },
                      { key: "created", label: t("common.createdAt"), children: formatTime(ent.createTime) },
                      { key: "updated", label: t("common.updatedAt"), children: formatTime(ent.updateTime) },
                      { key: "licence", label: t("ent.licence"), span: 2, children: <LicenceViewer fileId={p?.businessLicenceFileId ?? ""} /> },
                    ]}
                  />
                  <h4 className="sub-title">{t("ent.bankAccounts")}</h4>
                  <Table
                    size="small"
                    rowKey={(r) => r.accountNumber}
                    pagination={false}
                    dataSource={p?.bankAccounts ?? []}
                    locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("common.none")} /> }}
                    columns={[
                      { title: t("ent.bankName"), dataIndex: "bankName" },
                      { title: t("ent.branchName"), dataIndex: "branchName" },
                      { title: t("ent.accountName"), dataIndex: "accountName" },
                      { title: t("ent.accountNumber"), dataIndex: "accountNumber", render: (v: string) => <span className="mono">{v}</span> },
                    ]}
                  />
                </>
              ),
            },
            {
              key: "members",
              label: <span data-testid="tab-members">{t("ent.tabMembers")}</span>,
              children: <MembersPanel enterprise={ent} onLeft={() => navigate("/enterprises")} />,
            },
          ]}
        />
      </Card>
    </>
  );
}
