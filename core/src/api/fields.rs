//! The names of the fields of the forms the console sends, one enum per form, serialised as the
//! JSON field names of the requests. A problem's per-field errors name them; the console finds
//! the input an error belongs to by these types, and core's rules name the fields they judge by
//! them, so a renamed field cannot silently stop matching.

/// A field of one request body.
pub trait FormField: Copy {
    /// The field's name in the JSON body (and in a problem's `errors[].field`).
    fn name(self) -> &'static str;
}

macro_rules! form_fields {
    ($(#[$doc:meta])* $form:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $form {
            $($variant),+
        }

        impl $form {
            pub const ALL: &'static [$form] = &[$($form::$variant),+];

            /// The field of this form named `name`, if it has one.
            pub fn parse(name: &str) -> Option<$form> {
                $form::ALL.iter().copied().find(|f| f.name() == name)
            }
        }

        impl FormField for $form {
            fn name(self) -> &'static str {
                match self {
                    $($form::$variant => $name),+
                }
            }
        }
    };
}

form_fields!(
    /// `POST /api/v1/projects`, `PATCH /api/v1/projects/{id}`.
    ProjectField { Name => "name", Description => "description" }
);
form_fields!(
    /// `POST /api/v1/users`, the owner's password reset.
    UserField { Username => "username", Password => "password", Role => "role" }
);
form_fields!(
    /// `PUT /api/v1/session/password`.
    PasswordField { CurrentPassword => "current_password", NewPassword => "new_password" }
);
form_fields!(
    /// `POST /api/v1/tokens`.
    TokenField { Name => "name", ExpiresInDays => "expires_in_days" }
);
form_fields!(
    /// `PUT /api/v1/licence`.
    LicenceField { Licence => "licence" }
);
form_fields!(
    /// `POST /api/v1/projects/{id}/deployments` (the sizing fields are also the query of
    /// `GET /api/v1/prerequisites/sizing`).
    DeploymentField {
        Name => "name",
        Cloud => "cloud",
        Region => "region",
        VpcCidr => "vpc_cidr",
        Sessions => "sessions",
        Tps => "tps",
        Nodes => "nodes",
        NodeType => "node_type",
        Domain => "domain",
        CertificatePem => "certificate_pem",
        Tags => "tags",
    }
);
form_fields!(
    /// `POST /api/v1/deployments/{id}/peerings`.
    PeeringField {
        PeeringId => "peering_id",
        PeerAccountId => "peer_account_id",
        PeerVpcId => "peer_vpc_id",
        PeerProjectId => "peer_project_id",
        PeerNetwork => "peer_network",
        PeerCidr => "peer_cidr",
        Description => "description",
    }
);
form_fields!(
    /// `POST /api/v1/deployments/{id}/privatelinks`.
    PrivateLinkField {
        ServiceId => "service_id",
        Description => "description",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_back_by_name() {
        for f in PeeringField::ALL {
            assert_eq!(PeeringField::parse(f.name()), Some(*f));
        }
        assert_eq!(PasswordField::NewPassword.name(), "new_password");
        assert_eq!(ProjectField::parse("colour"), None);
    }
}
