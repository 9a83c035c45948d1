import { useCallback, useEffect, useState } from "react";
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Modal, Popconfirm, Result, Row, Space, Spin, Table, Tag } from "antd";
import { CheckOutlined, CloseOutlined } from "@ant-design/icons";
import { Link, useParams } from "react-router";
import { operatorClient } from "../../api/client";
import { applyFieldErrors, parseError, type ApiError } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { LicenceViewer } from "../../components/LicenceViewer";
import { PageHeader } from "../../components/PageHeader";
import { BusinessTypeTags, VerificationTag, formatTime } from "../../lib/labels";
import { validateCreditCode } from "../../lib/creditCode";
import { VerificationStatus, type Enterprise } from "../../gen/b2btrade/enterprise/v1/enterprise_service_pb";
import { useI18n } from "../../i18n";

export default function ReviewDetailPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { id = "" } = useParams();
  const [ent, setEnt] = useState<Enterprise | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [rejectOpen, setRejectOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [rejectError, setRejectError] = useState<ApiError | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [form] = Form.useForm<{ reason: string }>();

  const load = useCallback(async () => {
    try {
      const res = await operatorClient.getVerificationRequest({ enterpriseId: id });
      setEnt(res.enterprise ?? null);
    } catch (e) {
      setLoadError(parseError(e).message);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load, lang]);

  if (loadError) return <Result status="error" title={loadError} extra={<Link to="/operator/verifications">{t("common.back")}</Link>} />;
  if (!ent) return <Spin style={{ display: "block", margin: 80 }} />;
  const p = ent.profile;
  const pending = ent.verificationStatus === VerificationStatus.PENDING;
  const codeProblem = p ? validateCreditCode(p.unifiedSocialCreditCode) : null;

  const approve = async () => {
    setBusy(true);
    setActionError(null);
    try {
      const res = await operatorClient.approveEnterpriseVerification({ enterpriseId: id });
      if (res.enterprise) setEnt(res.enterprise);
      message.success(t("op.approved"));
    } catch (e) {
      setActionError(parseError(e).message);
    } finally {
      setBusy(false);
    }
  };

  const reject = async () => {
    let v: { reason: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setRejectError(null);
    try {
      const res = await operatorClient.rejectEnterpriseVerification({ enterpriseId: id, reason: v.reason.trim() });
      if (res.enterprise) setEnt(res.enterprise);
      setRejectOpen(false);
      message.success(t("op.rejected"));
    } catch (e) {
      const err = parseError(e);
      setRejectError(err);
      applyFieldErrors(form, err, { known: ["reason"] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        back="/operator/verifications"
        title={t("op.detailTitle")}
        sub={<VerificationTag status={ent.verificationStatus} />}
        extra={
          pending && (
            <Space>
              <Button danger icon={<CloseOutlined />} onClick={() => setRejectOpen(true)} disabled={busy} data-testid="review-reject">
                {t("op.reject")}
              </Button>
              <Popconfirm title={t("op.approveConfirm")} onConfirm={approve} okText={t("common.confirm")} cancelText={t("common.cancel")} okButtonProps={{ "data-testid": "review-approve-confirm" }}>
                <Button type="primary" icon={<CheckOutlined />} loading={busy} data-testid="review-approve">
                  {t("op.approve")}
                </Button>
              </Popconfirm>
            </Space>
          )
        }
      />
      {actionError && (
        <Alert type="error" showIcon closable={{ onClose: () => setActionError(null) }} style={{ marginBottom: 16 }} title={actionError} data-testid="review-action-error" />
      )}
      {ent.verificationStatus === VerificationStatus.REJECTED && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t("ent.rejectedReason", { reason: ent.rejectionReason })} />
      )}
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card title={p?.legalName} className="section-card">
            <Descriptions
              bordered
              size="small"
              column={1}
              items={[
                { key: "name", label: t("ent.legalName"), children: p?.legalName },
                {
                  key: "code",
                  label: t("ent.creditCode"),
                  children: (
                    <Space>
                      <span className="mono">{p?.unifiedSocialCreditCode}</span>
                      {codeProblem ? <Tag color="error">{t(`ent.creditCode.${codeProblem}`)}</Tag> : <Tag color="success">GB 32100 ✓</Tag>}
                    </Space>
                  ),
                },
                { key: "rep", label: t("ent.legalRep"), children: p?.legalRepresentative },
                { key: "addr", label: t("ent.address"), children: p?.registeredAddress },
                { key: "contact", label: t("ent.contactName"), children: `${p?.contactName ?? ""}  ${p?.contactPhone ?? ""}` },
                {
                  key: "type",
                  label: t("ent.businessType"),
                  children: <BusinessTypeTags profile={p} />,
                },
                { key: "created", label: t("common.createdAt"), children: formatTime(ent.createTime) },
                { key: "updated", label: t("common.updatedAt"), children: formatTime(ent.updateTime) },
              ]}
            />
            <h4 className="sub-title">{t("ent.bankAccounts")}</h4>
            <Table
              size="small"
              rowKey={(r) => r.accountNumber}
              pagination={false}
              dataSource={p?.bankAccounts ?? []}
              columns={[
                { title: t("ent.bankName"), dataIndex: "bankName" },
                { title: t("ent.branchName"), dataIndex: "branchName" },
                {
                  title: t("ent.accountName"),
                  dataIndex: "accountName",
                  render: (v: string) => (v === p?.legalName ? v : <Tag color="error">{v}</Tag>),
                },
                { title: t("ent.accountNumber"), dataIndex: "accountNumber", render: (v: string) => <span className="mono">{v}</span> },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t("op.licencePreview")} className="section-card" data-testid="licence-card">
            <LicenceViewer fileId={p?.businessLicenceFileId ?? ""} autoLoad />
          </Card>
        </Col>
      </Row>
      <Modal
        title={t("op.rejectTitle")}
        open={rejectOpen}
        onCancel={() => setRejectOpen(false)}
        onOk={reject}
        confirmLoading={busy}
        okText={t("op.reject")}
        okButtonProps={{ danger: true, "data-testid": "review-reject-submit" }}
        cancelText={t("common.cancel")}
        destroyOnHidden
      >
        <FormError error={rejectError} />
        <Form form={form} name="reject" layout="vertical">
          <Form.Item name="reason" label={t("op.rejectReason")} rules={[{ required: true, whitespace: true, min: 2, max: 500, message: t("op.rejectReasonInvalid") }]}>
            <Input.TextArea rows={4} maxLength={500} showCount placeholder={t("op.rejectReasonPlaceholder")} data-testid="review-reject-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
