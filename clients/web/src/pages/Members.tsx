import { useCallback, useEffect, useState } from "react";
import { App, Button, Form, Modal, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { UserAddOutlined } from "@ant-design/icons";
import { create } from "@bufbuild/protobuf";
import { enterpriseClient } from "../api/client";
import { applyFieldErrors, parseError, type ApiError, type FieldViolation } from "../api/errors";
import { useAuth } from "../auth";
import { AddressFields } from "../components/AddressFields";
import { FormError } from "../components/FormError";
import { RoleEditor } from "../components/RoleEditor";
import { contactAddress, type ContactKind } from "../lib/contact";
import { RoleTags, formatTime } from "../lib/labels";
import { formatMoney, normaliseAmountInput } from "../lib/money";
import { newRequestId } from "../lib/uuid";
import { MoneySchema, type Money } from "../gen/b2btrade/common/v1/types_pb";
import { MemberRole, type Enterprise, type Invitation, type Member } from "../gen/b2btrade/enterprise/v1/enterprise_service_pb";
import { useI18n } from "../i18n";

interface RoleValues {
  roles: MemberRole[];
  signingLimit?: string;
  phone?: string;
  email?: string;
}

function limitOf(v: RoleValues): Money | undefined {
  if (!v.roles.includes(MemberRole.SIGNATORY)) return undefined;
  const amount = normaliseAmountInput(v.signingLimit);
  return amount ? create(MoneySchema, { currencyCode: "CNY", amount }) : undefined;
}

const FIELD_MAP = {
  invitee: ["phone"],
  "invitee.phone": ["phone"],
  "invitee.email": ["email"],
  signing_limit: ["signingLimit"],
  "signing_limit.amount": ["signingLimit"],
  "signing_limit.currency_code": ["signingLimit"],
};
const KNOWN = ["phone", "email", "roles", "signingLimit"];

export function MembersPanel({ enterprise, onLeft }: { enterprise: Enterprise; onLeft: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { user } = useAuth();
  const [members, setMembers] = useState<Member[]>([]);
  const [pending, setPending] = useState<Invitation[]>([]);
  const [loading, setLoading] = useState(true);
  const [inviteOpen, setInviteOpen] = useState(false);
  const [editing, setEditing] = useState<Member | null>(null);
  const [kind, setKind] = useState<ContactKind>("email");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [unmapped, setUnmapped] = useState<FieldViolation[]>([]);
  const [inviteForm] = Form.useForm<RoleValues>();
  const [roleForm] = Form.useForm<RoleValues>();
  const id = enterprise.enterpriseId;
  const isAdmin = enterprise.myRoles.includes(MemberRole.ADMIN);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const all: Member[] = [];
      let token = "";
      let invitations: Invitation[] = [];
      do {
        const res = await enterpriseClient.listMembers({ enterpriseId: id, pageSize: 100, pageToken: token });
        all.push(...res.members);
        if (!token) invitations = res.pendingInvitations;
        token = res.nextPageToken;
      } while (token);
      setMembers(all);
      setPending(invitations);
    } catch (e) {
      message.error(parseError(e).message);
    } finally {
      setLoading(false);
    }
  }, [id, message]);

  useEffect(() => {
    void load();
  }, [load, lang]);

  const showError = (form: typeof inviteForm, e: unknown) => {
    const err = parseError(e);
    setError(err);
    setUnmapped(applyFieldErrors(form, err, { map: FIELD_MAP, known: KNOWN }));
  };

  const invite = async () => {
    let v: RoleValues;
    try {
      v = await inviteForm.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await enterpriseClient.inviteMember({
        requestId: newRequestId(),
        enterpriseId: id,
        invitee: contactAddress(kind, (kind === "phone" ? v.phone : v.email) ?? ""),
        roles: v.roles,
        signingLimit: limitOf(v),
      });
      message.success(t("member.invited"));
      setInviteOpen(false);
      inviteForm.resetFields();
      void load();
    } catch (e) {
      showError(inviteForm, e);
    } finally {
      setBusy(false);
    }
  };

  const saveRoles = async () => {
    if (!editing) return;
    let v: RoleValues;
    try {
      v = await roleForm.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await enterpriseClient.updateMemberRoles({ enterpriseId: id, userId: editing.userId, roles: v.roles, signingLimit: limitOf(v) });
      message.success(t("member.rolesUpdated"));
      setEditing(null);
      void load();
    } catch (e) {
      showError(roleForm, e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (m: Member) => {
    try {
      await enterpriseClient.removeMember({ enterpriseId: id, userId: m.userId });
      if (m.userId === user?.userId) {
        onLeft();
        return;
      }
      message.success(t("member.removed"));
      void load();
    } catch (e) {
      message.error(parseError(e).message);
    }
  };

  const revoke = async (inv: Invitation) => {
    try {
      await enterpriseClient.revokeInvitation({ enterpriseId: id, invitationId: inv.invitationId });
      message.success(t("member.revoked"));
      void load();
    } catch (e) {
      message.error(parseError(e).message);
    }
  };

  return (
    <div data-testid="members-panel">
      <div className="panel-toolbar">
        <Typography.Text type="secondary">{t("member.count", { n: members.length })}</Typography.Text>
        {isAdmin && (
          <Button
            type="primary"
            icon={<UserAddOutlined />}
            data-testid="member-invite"
            onClick={() => {
              setError(null);
              inviteForm.resetFields();
              setInviteOpen(true);
            }}
          >
            {t("member.invite")}
          </Button>
        )}
      </div>
      <Table<Member>
        rowKey="userId"
        loading={loading}
        dataSource={members}
        pagination={false}
        data-testid="members-table"
        onRow={(r) => ({ "data-testid": "member-row", "data-user-id": r.userId } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          {
            title: t("member.name"),
            key: "name",
            render: (_, m) => (
              <Space>
                <span className="member-name">{m.displayName}</span>
                {m.userId === user?.userId && <Tag color="blue">{t("member.you")}</Tag>}
              </Space>
            ),
          },
          { title: t("member.roles"), key: "roles", render: (_, m) => <RoleTags roles={m.roles} /> },
          {
            title: t("member.signingLimit"),
            key: "limit",
            align: "right",
            render: (_, m) => (m.roles.includes(MemberRole.SIGNATORY) ? <span className="amount">{formatMoney(m.signingLimit)}</span> : "—"),
          },
          { title: t("member.joinTime"), key: "join", render: (_, m) => formatTime(m.joinTime) },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, m) => (
              <Space size={4}>
                {isAdmin && (
                  <Button
                    type="link"
                    size="small"
                    data-testid="member-edit-roles"
                    onClick={() => {
                      setError(null);
                      setEditing(m);
                    }}
                  >
                    {t("member.editRoles")}
                  </Button>
                )}
                {(isAdmin || m.userId === user?.userId) && (
                  <Popconfirm
                    title={m.userId === user?.userId ? t("member.leaveConfirm") : t("member.removeConfirm", { name: m.displayName })}
                    onConfirm={() => remove(m)}
                    okText={t("common.confirm")}
                    cancelText={t("common.cancel")}
                  >
                    <Button type="link" size="small" danger data-testid="member-remove">
                      {m.userId === user?.userId ? t("member.leave") : t("member.remove")}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {isAdmin && pending.length > 0 && (
        <>
          <h4 className="sub-title">{t("member.pending")}</h4>
          <Table<Invitation>
            rowKey="invitationId"
            size="small"
            dataSource={pending}
            pagination={false}
            data-testid="pending-invitations"
            columns={[
              { title: t("member.inviteeCol"), dataIndex: "maskedInvitee" },
              { title: t("member.roles"), key: "roles", render: (_, i) => <RoleTags roles={i.roles} /> },
              { title: t("member.signingLimit"), key: "limit", render: (_, i) => (i.signingLimit?.amount ? formatMoney(i.signingLimit) : "—") },
              { title: t("common.createdAt"), key: "c", render: (_, i) => formatTime(i.createTime) },
              { title: t("member.expireTime"), key: "e", render: (_, i) => formatTime(i.expireTime) },
              {
                title: t("common.actions"),
                key: "a",
                render: (_, i) => (
                  <Popconfirm title={t("member.revokeConfirm")} onConfirm={() => revoke(i)} okText={t("common.confirm")} cancelText={t("common.cancel")}>
                    <Button type="link" size="small" danger data-testid="invitation-revoke">
                      {t("member.revoke")}
                    </Button>
                  </Popconfirm>
                ),
              },
            ]}
          />
        </>
      )}

      <Modal
        title={t("member.inviteTitle")}
        open={inviteOpen}
        onCancel={() => setInviteOpen(false)}
        onOk={invite}
        confirmLoading={busy}
        okText={t("member.invite")}
        cancelText={t("common.cancel")}
        okButtonProps={{ "data-testid": "invite-submit" }}
        destroyOnHidden
      >
        <FormError error={error} unmapped={unmapped} />
        <Form<RoleValues> form={inviteForm} name="invite" layout="vertical" initialValues={{ roles: [MemberRole.PURCHASER] }}>
          <AddressFields kind={kind} onKindChange={setKind} />
          <RoleEditor />
        </Form>
      </Modal>

      <Modal
        title={`${t("member.editRoles")} · ${editing?.displayName ?? ""}`}
        open={!!editing}
        onCancel={() => setEditing(null)}
        onOk={saveRoles}
        confirmLoading={busy}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        okButtonProps={{ "data-testid": "roles-submit" }}
        destroyOnHidden
      >
        <FormError error={error} unmapped={unmapped} />
        <Form<RoleValues>
          key={editing?.userId}
          form={roleForm}
          name="roles"
          layout="vertical"
          initialValues={{ roles: editing ? [...editing.roles] : [], signingLimit: editing?.signingLimit?.amount ?? "" }}
        >
          <RoleEditor />
        </Form>
      </Modal>
    </div>
  );
}
