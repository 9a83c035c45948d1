import { useCallback, useEffect, useState } from "react";
import { App, Button, Card, Empty, Popconfirm, Space, Table } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { useNavigate } from "react-router";
import { enterpriseClient } from "../api/client";
import { parseError } from "../api/errors";
import { PageHeader } from "../components/PageHeader";
import { InvitationTag, RoleTags, formatTime } from "../lib/labels";
import { formatMoney } from "../lib/money";
import { MemberRole, type Invitation } from "../gen/b2btrade/enterprise/v1/enterprise_service_pb";
import { useI18n } from "../i18n";

export default function InvitationsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [items, setItems] = useState<Invitation[]>([]);
  const [loading, setLoading] = useState(true);
  const [acting, setActing] = useState("");

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const all: Invitation[] = [];
      let token = "";
      do {
        const res = await enterpriseClient.listMyInvitations({ pageSize: 100, pageToken: token });
        all.push(...res.invitations);
        token = res.nextPageToken;
      } while (token);
      setItems(all);
    } catch (e) {
      message.error(parseError(e).message);
    } finally {
      setLoading(false);
    }
  }, [message]);

  useEffect(() => {
    void load();
  }, [load, lang]);

  const accept = async (inv: Invitation) => {
    setActing(inv.invitationId);
    try {
      const res = await enterpriseClient.acceptInvitation({ enterpriseId: inv.enterpriseId, invitationId: inv.invitationId });
      message.success(t("inv.accepted", { name: inv.enterpriseName }));
      navigate(`/enterprises/${res.enterprise?.enterpriseId ?? inv.enterpriseId}`);
    } catch (e) {
      message.error(parseError(e).message);
      void load();
    } finally {
      setActing("");
    }
  };

  const decline = async (inv: Invitation) => {
    setActing(inv.invitationId);
    try {
      await enterpriseClient.declineInvitation({ enterpriseId: inv.enterpriseId, invitationId: inv.invitationId });
      message.success(t("inv.declined"));
      void load();
    } catch (e) {
      message.error(parseError(e).message);
    } finally {
      setActing("");
    }
  };

  return (
    <>
      <PageHeader
        title={t("inv.title")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={load}>
            {t("common.refresh")}
          </Button>
        }
      />
      <Card>
        <Table<Invitation>
          rowKey={(r) => `${r.enterpriseId}/${r.invitationId}`}
          loading={loading}
          dataSource={items}
          pagination={false}
          locale={{ emptyText: <Empty description={t("inv.empty")} /> }}
          onRow={(r) => ({ "data-testid": "invitation-row", "data-enterprise-id": r.enterpriseId } as React.HTMLAttributes<HTMLElement>)}
          columns={[
            { title: t("inv.enterprise"), key: "ent", render: (_, r) => <strong>{r.enterpriseName}</strong> },
            { title: t("inv.roles"), key: "roles", render: (_, r) => <RoleTags roles={r.roles} /> },
            {
              title: t("member.signingLimit"),
              key: "limit",
              render: (_, r) => (r.roles.includes(MemberRole.SIGNATORY) ? <span className="amount">{formatMoney(r.signingLimit)}</span> : "—"),
            },
            { title: t("common.status"), key: "s", render: (_, r) => <InvitationTag status={r.status} /> },
            { title: t("common.createdAt"), key: "c", render: (_, r) => formatTime(r.createTime) },
            { title: t("member.expireTime"), key: "e", render: (_, r) => formatTime(r.expireTime) },
            {
              title: t("common.actions"),
              key: "a",
              render: (_, r) => (
                <Space>
                  <Button type="primary" size="small" loading={acting === r.invitationId} onClick={() => accept(r)} data-testid="invitation-accept">
                    {t("inv.accept")}
                  </Button>
                  <Popconfirm title={t("inv.declineConfirm")} onConfirm={() => decline(r)} okText={t("common.confirm")} cancelText={t("common.cancel")}>
                    <Button size="small" disabled={acting === r.invitationId} data-testid="invitation-decline">
                      {t("inv.decline")}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
