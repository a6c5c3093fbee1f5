/** Every place the UI can be; the navigation stack is a list of these. */
export type Route =
  | { screen: 'registries' }
  | { screen: 'login'; registry?: string }
  | { screen: 'repositories'; registry: string }
  | { screen: 'tags'; registry: string; repository: string }
  | { screen: 'manifest'; registry: string; repository: string; reference: string }
  | { screen: 'transfer'; source: string };

export type ScreenId = Route['screen'];

/** `host › repo › tag`: the title bar's breadcrumb for a route. */
export function routeTitle(route: Route): string {
  switch (route.screen) {
    case 'registries':
      return 'registries';
    case 'login':
      return `log in${route.registry ? ` › ${route.registry}` : ''}`;
    case 'repositories':
      return `${route.registry} › repositories`;
    case 'tags':
      return `${route.registry} › ${route.repository} › tags`;
    case 'manifest':
      return `${route.registry} › ${route.repository} › ${route.reference}`;
    case 'transfer':
      return `copy ${route.source}`;
  }
}
