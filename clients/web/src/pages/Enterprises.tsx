import { useCallback, useEffect } from "react";
import { Button, Card, Empty, Space, Table, Typography } from "antd";
import { PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import { Link, useNavigate } from "react-router";
import { enterpriseClient } from "../api/client";
import { RoleTags, VerificationTag, formatTime } from "../lib/labels";
import { LoadMore, usePagedList } from "../lib/usePagedList";
import { VerificationStatus, type Enterprise } from "../gen/b2btrade/enterprise/v1/enterprise_service_pb";
import { useI18n } from "../i18n";
import { PageHeader } from "../components/PageHeader";

export default function EnterprisesPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const { items, next, loading, load } = usePagedList(
    useCallback(async (pageToken: string) => {
      const res = await enterpriseClient.listMyEnterprises({ pageSize: 50, pageToken });
      return { items: res.enterprises, nextPageToken: res.nextPageToken };
    }, []),
  );

  useEffect(() => {
    void load();
  }, [load, lang]);

  return (
    <>
      <PageHeader
        title={t("ent.list")}
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => load()}>
              {t("common.refresh")}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/enterprises/new")} data-testid="enterprise-create">
              {t("ent.create")}
            </Button>
          </Space>
        }
      />
      <Card>
        <Table<Enterprise>
          rowKey="enterpriseId"
          loading={loading}
          dataSource={items}
          pagination={false}
          data-testid="enterprise-table"
          locale={{
            emptyText: (
              <Empty description={t("ent.empty")}>
                <Button type="primary" onClick={() => navigate("/enterprises/new")}>
                  {t("ent.create")}
                </Button>
              </Empty>
            ),
          }}
          onRow={(r) => ({ "data-testid": `enterprise-row`, "data-enterprise-id": r.enterpriseId } as React.HTMLAttributes<HTMLElement>)}
          columns={[
            {
              title: t("ent.legalName"),
              key: "name",
              render: (_, r) => (
                <Link to={`/enterprises/${r.enterpriseId}`} data-testid="enterprise-link" className="strong-link">
                  {r.profile?.legalName}
                </Link>
              ),
            },
            { title: t("ent.creditCode"), key: "code", render: (_, r) => <span className="mono">{r.profile?.unifiedSocialCreditCode}</span> },
            {
              title: t("common.status"),
              key: "status",
              render: (_, r) => (
                <Space orientation="vertical" size={2}>
                  <VerificationTag status={r.verificationStatus} />
                  {r.verificationStatus === VerificationStatus.REJECTED && r.rejectionReason && (
                    <Typography.Text type="danger" className="small" data-testid="rejection-reason">
                      {t("ent.rejectedReason", { reason: r.rejectionReason })}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            { title: t("ent.myRoles"), key: "roles", render: (_, r) => <RoleTags roles={r.myRoles} /> },
            { title: t("common.updatedAt"), key: "time", render: (_, r) => formatTime(r.updateTime ?? r.createTime) },
            {
              title: t("common.actions"),
              key: "actions",
              render: (_, r) => <Link to={`/enterprises/${r.enterpriseId}`}>{t("common.view")}</Link>,
            },
          ]}
        />
        <LoadMore next={next} onLoad={load} />
      </Card>
    </>
  );
}
